"""capabilities(): the description of the guest's Python for a tool prompt."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import micropython_wasi
from micropython_wasi import Mount, OptionError, Sandbox, capabilities


def line(text: str, prefix: str) -> str:
    [found] = [l for l in text.splitlines() if l.startswith(prefix)]
    return found


def test_language_level_and_modules_come_from_the_manifest() -> None:
    info = micropython_wasi.image_info()
    text = capabilities()
    assert line(text, "Python:").startswith(f"Python: MicroPython {info.micropython_version} ({info.variant} variant)")
    modules = line(text, "Modules:")
    for name in info.modules + info.frozen_modules:
        if name not in ("__main__", "builtins"):
            assert f" {name}," in modules or f" {name} (" in modules, name


def test_default_limits_are_run_defaults() -> None:
    assert line(capabilities(), "Limits:") == (
        "Limits: memory 64 MiB, wall-clock 10 s per run, output 1 MiB per run; about 200 nested Python calls at most.")
    assert line(capabilities(), "Files:") == "Files: none (no directory is mounted)."


def test_limits_from_options() -> None:
    text = capabilities(memory_limit=32 * 1024 * 1024, timeout=0.5, fuel=10**9, max_output=None,
                        mounts={"/out": Mount("/tmp", writable=True), "/data": "/tmp"}, host_functions=["lookup", "charge"])
    assert line(text, "Limits:") == ("Limits: memory 32 MiB, wall-clock 0.5 s per run, output unlimited, "
                                      "1,000,000,000 WebAssembly instructions per run; about 200 nested Python calls at most.")
    assert line(text, "Files:") == "Files: only under /data (read-only), /out (writable)."
    assert line(text, "Host functions") == "Host functions (call them like built-ins, or as host.NAME): charge, lookup."


def test_limits_and_host_functions_from_a_sandbox() -> None:
    with Sandbox(memory_limit=16 * 1024 * 1024, timeout=None, max_output=4096, host_functions={"now": lambda: 0}) as sandbox:
        sandbox.register_function(len, "size")
        text = capabilities(sandbox=sandbox)
    assert line(text, "Limits:").startswith("Limits: memory 16 MiB, no time limit, output 4 KiB per run;")
    assert line(text, "Host functions").endswith(": now, size.")
    with Sandbox() as sandbox, pytest.raises(OptionError, match="either sandbox= or limit options"):
        capabilities(sandbox=sandbox, timeout=3)


def test_differences_come_from_the_corpus_baseline() -> None:
    baseline = json.loads((Path(__file__).parent / "compat" / "baseline.json").read_text())
    text = capabilities()
    listed = [l[2:] for l in text.splitlines() if l.startswith("- ")]
    expected = {d for k, d in baseline["causes"].items() if not k.startswith("no-module-")}
    assert set(listed) == expected
    absent = line(text, "Not available")
    assert "typing" in absent or "typing" in micropython_wasi.image_info().modules + micropython_wasi.image_info().frozen_modules


def test_modules_in_the_image_are_not_listed_as_missing(tmp_path: Path, image_path: Path) -> None:
    image = tmp_path / "custom.wasm"
    shutil.copyfile(image_path, image)
    manifest = json.loads(image_path.with_suffix(".json").read_text())
    manifest["frozen_modules"] = manifest["frozen_modules"] + ["csv", "logging"]
    manifest["variant"] = "custom"
    image.with_suffix(".json").write_text(json.dumps(manifest))
    text = capabilities(image)
    assert "(custom variant)" in line(text, "Python:")
    assert " csv," in line(text, "Modules:")
    absent = line(text, "Not available").split(": ", 1)[1].rstrip(".").split(", ")
    assert "csv" not in absent and "logging" not in absent and "calendar" in absent


def test_an_image_without_manifest(tmp_path: Path, image_path: Path) -> None:
    image = tmp_path / "bare.wasm"
    shutil.copyfile(image_path, image)
    text = capabilities(image)
    assert line(text, "Modules:") == "Modules: unknown (the image has no manifest)."
    assert "(unknown version)" in line(text, "Python:")


@pytest.mark.parametrize(("options", "message"), [
    ({"timeout": "10"}, "timeout must be a non-negative number or None, got '10'"),
    ({"memory_limit": -1}, "memory_limit must be a non-negative number"),
    ({"fuel": True}, "fuel must be a non-negative number"),
    ({"mounts": ["/data"]}, "mounts must be a mapping"),
    ({"host_functions": "lookup"}, "host_functions must be a mapping or a list of names"),
    ({"sandbox": "not a sandbox"}, "sandbox must be a Sandbox"),
])
def test_bad_options(options: dict, message: str) -> None:
    with pytest.raises(OptionError, match=message):
        capabilities(**options)


def test_missing_image() -> None:
    with pytest.raises(micropython_wasi.ImageError, match="image not found"):
        capabilities("/no/such/image.wasm")
