"""Prepared images (prepare_image, `micropython-wasi image`): what their interpreters start with, and bad input."""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from micropython_wasi import ImageError, OptionError, PrepareError, Sandbox, image_info, prepare_image
from micropython_wasi._image import describe_image

SETUP = """\
import mypkg
TABLE = [mypkg.double(i) for i in range(5)]
try:
    import not_a_module  # (looks in the file system: the image must not keep this instance's mounts)
except ImportError:
    pass
with open("/lib/mypkg/core.py") as f:
    SOURCE_LENGTH = len(f.read())
"""


def make_package(root: Path) -> Path:
    pkg = root / "mypkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .core import double\nVERSION = '1.0'\n")
    (pkg / "core.py").write_text("def double(x):\n    return 2 * x\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "leaf.py").write_text("LEAF = 'leaf'\n")
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "core.cpython-311.pyc").write_bytes(b"\0")  # skipped, not an error
    return pkg


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_package(tmp_path_factory.mktemp("src"))


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory, package: Path) -> Path:
    out = tmp_path_factory.mktemp("out") / "app.wasm"
    assert prepare_image(out, setup=SETUP, files={"/lib/mypkg": package}) == out
    return out


# -- what a prepared image's interpreters start with ---------------------------------


def test_packages_and_setup_state_are_there_without_a_mount(prepared: Path) -> None:
    with Sandbox(image=prepared) as sb:
        result = sb.run(
            "import sys\n"
            "print(sorted(m for m in sys.modules if m.startswith('mypkg')))\n"
            "import mypkg, mypkg.sub.leaf\n"
            "print(TABLE, SOURCE_LENGTH, mypkg.VERSION, mypkg.sub.leaf.LEAF)\n"
            "try:\n    open('/lib/mypkg/core.py')\nexcept OSError:\n    print('no /lib mount')\n")
        result.check()
    assert result.stdout.splitlines() == [
        "['mypkg', 'mypkg.core', 'mypkg.sub', 'mypkg.sub.leaf']",
        "[0, 2, 4, 6, 8] 32 1.0 leaf",
        "no /lib mount",
    ]


def test_each_interpreter_starts_from_the_prepared_state(prepared: Path) -> None:
    with Sandbox(image=prepared) as first, Sandbox(image=prepared) as second:
        first.run("TABLE.append(99); import mypkg; mypkg.VERSION = 'changed'").check()
        assert second.run("import mypkg; print(len(TABLE), mypkg.VERSION)").stdout == "5 1.0\n"
        first.reset()
        assert first.run("import mypkg; print(len(TABLE), mypkg.VERSION)").stdout == "5 1.0\n"


def test_mounts_work_although_the_setup_used_the_file_system(prepared: Path, tmp_path: Path) -> None:
    # The setup looked up files (so libc listed the preparation's mount): the
    # image's interpreters must see their own mounts, not that one.
    (tmp_path / "data.txt").write_text("own mount")
    with Sandbox(image=prepared, mounts={"/data": str(tmp_path)}) as sb:
        result = sb.run("import os\nprint(open('/data/data.txt').read(), sorted(os.listdir('/')))")
    assert result.stdout == "own mount ['data']\n", result.stderr


def test_manifest_records_base_files_and_setup(prepared: Path, package: Path, image_path: Path) -> None:
    info = image_info(prepared)
    record = info.prepared
    assert record is not None
    assert record["base_sha256"] == hashlib.sha256(image_path.read_bytes()).hexdigest()
    assert record["setup_sha256"] == hashlib.sha256(SETUP.encode()).hexdigest()
    assert record["files"] == [
        {"path": "/lib/mypkg/" + name, "sha256": hashlib.sha256((package / name).read_bytes()).hexdigest()}
        for name in ["__init__.py", "core.py", "sub/__init__.py", "sub/leaf.py"]]
    assert record["modules"] == ["mypkg", "mypkg.core", "mypkg.sub", "mypkg.sub.leaf"]
    assert info.manifest["image_size"] == prepared.stat().st_size
    assert info.variant == image_info().variant  # the base's description carries over
    text = describe_image(info)
    assert f"(sha256 {record['base_sha256']})" in text
    assert "added files (4): /lib/mypkg/__init__.py" in text
    assert f"setup: sha256 {record['setup_sha256']}" in text
    assert image_info().prepared is None


def test_runs_through_the_command_line_and_the_environment(prepared: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capfd: pytest.CaptureFixture[str]) -> None:
    from micropython_wasi import cli

    assert cli.main(["--no-cwd", "--image", str(prepared), "-c", "print(TABLE[2])"]) == 0
    assert capfd.readouterr().out == "4\n"
    monkeypatch.setenv("MICROPY_WASI_IMAGE", str(prepared))
    assert cli.main(["--no-cwd", "-c", "print(TABLE[3])"]) == 0
    assert capfd.readouterr().out == "6\n"
    assert cli.main(["--info"]) == 0
    info = capfd.readouterr().out
    assert f"image: {prepared}" in info and "imported modules: mypkg mypkg.core" in info


@pytest.mark.slow
def test_runs_in_a_new_process(prepared: Path) -> None:
    by_option = run_cli("--no-cwd", "--image", str(prepared), "-c", "print(TABLE[2])")
    assert (by_option.returncode, by_option.stdout) == (0, "4\n"), by_option.stderr


def test_image_subcommand(package: Path, tmp_path: Path) -> None:
    setup = tmp_path / "setup.py"
    setup.write_text("import mypkg\nREADY = mypkg.double(21)\n")
    single = tmp_path / "helper.py"
    single.write_text("HELP = 'me'\n")
    out = tmp_path / "cli.wasm"
    done = run_cli("image", "--add", str(package), "--add", f"{single}:/lib/tools/helper.py",
                   "--setup", str(setup), "--memory-limit", "32m", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {out} (")
    manifest = json.loads(out.with_suffix(".json").read_text())
    assert [f["path"] for f in manifest["prepared"]["files"]][-1] == "/lib/tools/helper.py"
    assert manifest["prepared"]["modules"][-1] == "tools.helper"


@pytest.mark.slow
def test_a_new_image_at_the_same_path_is_not_mistaken_for_the_old(package: Path, tmp_path: Path) -> None:
    out = tmp_path / "app.wasm"
    for value in ("1", "22"):
        prepare_image(out, setup=f"X = {value}", files={"/lib/mypkg": package})
        done = run_cli("--no-cwd", "--image", str(out), "-c", "print(X)")
        assert done.stdout == f"{value}\n", done.stderr


@pytest.mark.slow
def test_a_prepared_image_can_be_the_base_of_another(prepared: Path, tmp_path: Path) -> None:
    out = prepare_image(tmp_path / "second.wasm", base=prepared, setup="TABLE.append(10)")
    with Sandbox(image=out) as sb:
        assert sb.run("import mypkg; print(TABLE[-1], mypkg.double(4))").stdout == "10 8\n"
    assert image_info(out).prepared["base_sha256"] == hashlib.sha256(prepared.read_bytes()).hexdigest()


# -- bad input: a clear error, nothing written ---------------------------------------


def test_setup_raising_names_the_exception(tmp_path: Path) -> None:
    out = tmp_path / "x.wasm"
    with pytest.raises(PrepareError, match=r"the setup code raised ValueError: bad data") as caught:
        prepare_image(out, setup="def load():\n    raise ValueError('bad data')\nload()\n")
    assert "in load" in str(caught.value)  # with the guest's traceback
    assert not out.exists() and not out.with_suffix(".json").exists()


def test_setup_exit_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PrepareError, match=r"the setup code raised SystemExit\(3\)"):
        prepare_image(tmp_path / "x.wasm", setup="import sys\nsys.exit(3)")


def test_module_failing_to_import_is_named(tmp_path: Path) -> None:
    pkg = tmp_path / "broken"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "bad.py").write_text("import missing_dependency\n")
    with pytest.raises(PrepareError, match=r"importing broken.bad raised ImportError: .*missing_dependency"):
        prepare_image(tmp_path / "x.wasm", files={"/lib/broken": pkg})


def test_module_of_the_image_cannot_be_replaced(tmp_path: Path) -> None:
    (tmp_path / "json.py").write_text("def dumps(x):\n    return 'mine'\n")
    with pytest.raises(PrepareError, match=r"importing json raised ImportError: the image has a module json already"):
        prepare_image(tmp_path / "x.wasm", files={"/lib/json.py": tmp_path / "json.py"})


@pytest.mark.slow
def test_memory_limit_too_small_for_the_base(tmp_path: Path) -> None:
    big = prepare_image(tmp_path / "big.wasm", setup="DATA = bytearray(8 * 1024 * 1024)")
    with pytest.raises(OptionError, match=r"memory_limit=4194304 is too small for base .*big.wasm, which needs"):
        prepare_image(tmp_path / "x.wasm", base=big, memory_limit=4 * 1024 * 1024)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match=r"files\['/lib/nope'\]: .*nope does not exist"):
        prepare_image(tmp_path / "x.wasm", files={"/lib/nope": tmp_path / "nope"})


def test_non_python_file(tmp_path: Path) -> None:
    pkg = make_package(tmp_path)
    (pkg / "data.json").write_text("{}")
    with pytest.raises(OptionError, match=r"data.json is not a Python source \(.py\)"):
        prepare_image(tmp_path / "x.wasm", files={"/lib/mypkg": pkg})
    with pytest.raises(OptionError, match=r"guest path must end in .py"):
        prepare_image(tmp_path / "x.wasm", files={"/lib/mod": pkg / "core.py"})


@pytest.mark.parametrize("guest", ["mypkg", "/app/mypkg", "/lib/../etc", "/lib/", "/lib//x"])
def test_guest_path_outside_the_import_directory(tmp_path: Path, guest: str) -> None:
    with pytest.raises(OptionError, match=r"must be a normalised path below /lib/"):
        prepare_image(tmp_path / "x.wasm", files={guest: make_package(tmp_path)})


def test_module_name_that_is_not_an_identifier(tmp_path: Path) -> None:
    (tmp_path / "my-mod.py").write_text("")
    with pytest.raises(OptionError, match=r"is not importable: module and package names must be identifiers"):
        prepare_image(tmp_path / "x.wasm", files={"/lib/my-mod.py": tmp_path / "my-mod.py"})


def test_base_that_is_not_an_image(tmp_path: Path) -> None:
    fake = tmp_path / "fake.wasm"
    fake.write_text("not wasm")
    with pytest.raises(ImageError, match=r"fake.wasm is not a WebAssembly image"):
        prepare_image(tmp_path / "x.wasm", base=fake)
    empty_module = tmp_path / "empty.wasm"
    empty_module.write_bytes(b"\0asm\x01\0\0\0")
    with pytest.raises(ImageError, match=r"empty.wasm is not a micropython-wasi image: it does not export"):
        prepare_image(tmp_path / "x.wasm", base=empty_module)
    with pytest.raises(ImageError, match=r"image not found"):
        prepare_image(tmp_path / "x.wasm", base=tmp_path / "absent.wasm")


def test_output_path_that_cannot_be_written(tmp_path: Path, image_path: Path) -> None:
    with pytest.raises(OptionError, match=r"directory .*missing does not exist"):
        prepare_image(tmp_path / "missing" / "x.wasm")
    (tmp_path / "file").write_text("")
    with pytest.raises(OptionError, match=r"directory .*file does not exist"):
        prepare_image(tmp_path / "file" / "x.wasm")
    with pytest.raises(OptionError, match=r"must end in .wasm"):
        prepare_image(tmp_path / "x.bin")
    (tmp_path / "dir.wasm").mkdir()
    with pytest.raises(OptionError, match=r"cannot write .*dir.wasm"):
        prepare_image(tmp_path / "dir.wasm")
    with pytest.raises(OptionError, match=r"is the base image itself"):
        prepare_image(image_path, base=image_path)


def test_setup_that_is_not_source(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match=r"setup must be Python source \(a str\), got bytes"):
        prepare_image(tmp_path / "x.wasm", setup=b"x = 1")  # type: ignore[arg-type]


def test_setup_exceeding_the_timeout(tmp_path: Path) -> None:
    with pytest.raises(PrepareError, match=r"the setup code exceeded the timeout of 0.5 s"):
        prepare_image(tmp_path / "x.wasm", setup="while True:\n    pass\n", timeout=0.5)
    assert not (tmp_path / "x.wasm").exists()


def test_setup_that_ignores_the_interrupt_is_killed(tmp_path: Path) -> None:
    setup = "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass\n"
    with pytest.raises(PrepareError, match=r"the setup code exceeded the timeout of 0.3 s and was killed"):
        prepare_image(tmp_path / "x.wasm", setup=setup, timeout=0.3)


def test_setup_exceeding_the_memory_limit(tmp_path: Path) -> None:
    with pytest.raises(PrepareError, match=r"the setup code ran out of memory"):
        prepare_image(tmp_path / "x.wasm", setup="x = bytearray(64 * 1024 * 1024)", memory_limit=16 * 1024 * 1024)


def test_setup_flooding_the_output(tmp_path: Path) -> None:
    with pytest.raises(PrepareError, match=r"the setup code wrote more than \d+ bytes of output"):
        prepare_image(tmp_path / "x.wasm", setup="while True:\n    print('x' * 1000)\n")


def test_image_subcommand_bad_input(tmp_path: Path) -> None:
    missing = run_cli("image", "--add", str(tmp_path / "nope"), "-o", str(tmp_path / "x.wasm"))
    assert missing.returncode == 2
    assert "micropython-wasi image: files['/lib/nope']" in missing.stderr and "does not exist" in missing.stderr
    (tmp_path / "setup.py").write_text("1 / 0\n")
    raising = run_cli("image", "--setup", str(tmp_path / "setup.py"), "-o", str(tmp_path / "x.wasm"))
    assert raising.returncode == 1
    assert "the setup code raised ZeroDivisionError" in raising.stderr
    no_setup_file = run_cli("image", "--setup", str(tmp_path / "absent.py"), "-o", str(tmp_path / "x.wasm"))
    assert no_setup_file.returncode == 2 and "--setup" in no_setup_file.stderr
    bad_size = run_cli("image", "--memory-limit", "lots", "-o", str(tmp_path / "x.wasm"))
    assert bad_size.returncode == 2 and "--memory-limit" in bad_size.stderr
    errors = bad_size.stderr + missing.stderr + raising.stderr + no_setup_file.stderr
    assert '.py", line' not in errors  # no host traceback


def test_documented_commands(tmp_path: Path) -> None:
    """The console example of docs/api.md's "Prepared images" runs and prints what it says (… stands for any text)."""
    from test_build_docs import console_commands

    (tmp_path / "shapes").mkdir()
    (tmp_path / "shapes" / "__init__.py").write_text("from .area import circle\n")
    (tmp_path / "shapes" / "area.py").write_text("import math\ndef circle(r):\n    return math.pi * r * r\n")
    (tmp_path / "setup.py").write_text("import shapes\nUNIT = shapes.circle(1)\n")
    commands = console_commands(REPO / "docs" / "api.md", "Prepared images")
    assert len(commands) == 3
    for command, expected in commands:
        argv = shlex.split(command)
        assert argv[0] == "micropython-wasi"
        done = subprocess.run([sys.executable, "-m", "micropython_wasi.cli", *argv[1:]], cwd=tmp_path,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{command}\n{done.stderr}"
        pattern = "".join(".*" if part == "…" else re.escape(part) for part in re.split("(…)", "\n".join(expected)))
        assert re.fullmatch(pattern, done.stdout.rstrip("\n"), re.S), f"{command}\n{done.stdout}"

