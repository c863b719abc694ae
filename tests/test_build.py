"""Custom images, the fast part: module selection, frozen-code and C-module
inputs, bad-input errors of `micropython-wasi build`, --info, and the
documented commands. Nothing here builds an image: the builds (and the
errors only a build can find: syntax errors in frozen files, C that does not
compile) are in test_build_images.py and test_build_docs.py (marked slow)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import micropython_wasi
from micropython_wasi import BuildError
from micropython_wasi import _build as builder

from conftest import REPO, run_cli

EXAMPLES = REPO / "examples"
MPY_DIR = REPO / "micropython"
PORT_DIR = REPO / "ports" / "wasi"


def _load_image_config() -> ModuleType:
    path = REPO / "ports" / "wasi" / "tools" / "image_config.py"
    spec = importlib.util.spec_from_file_location("image_config_under_test", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


ic = _load_image_config()


def variant_modules(variant: str) -> list[str]:
    text = (PORT_DIR / "variants" / variant / "mpconfigvariant.cmake").read_text()
    match = re.search(r"set\(MICROPY_WASI_VARIANT_MODULES\b(.*?)\)", text, re.S)
    assert match, f"{variant} does not set MICROPY_WASI_VARIANT_MODULES"
    return match.group(1).split()


# -- built-in modules -------------------------------------------------------------------


def test_variants_list_known_modules_and_nest() -> None:
    minimal, standard, full = (set(variant_modules(v)) for v in ("minimal", "standard", "full"))
    for modules in (minimal, standard, full):
        assert modules <= set(ic.MODULES)
    assert minimal == set()
    assert minimal < standard < full
    # uctypes reads and writes interpreter memory by address: not in the standard sandbox image.
    assert "uctypes" not in standard and "uctypes" in full
    assert {"asyncio", "select"} <= standard
    assert {"framebuf", "marshal"} <= full - standard


def test_module_changes_apply_to_the_variant() -> None:
    enabled = ic.resolve_modules("standard", variant_modules("standard"), "+framebuf,-re")
    assert "framebuf" in enabled and "re" not in enabled
    assert set(enabled) == set(variant_modules("standard")) - {"re"} | {"framebuf"}
    # A CMake list works as well as commas.
    assert ic.resolve_modules("standard", variant_modules("standard"), "+framebuf;-re") == enabled


def test_an_added_module_brings_what_it_needs() -> None:
    assert ic.resolve_modules("minimal", [], ["+asyncio"]) == ["asyncio", "select", "time"]
    assert ic.resolve_modules("minimal", [], ["+json"]) == ["io", "json"]


def test_removing_what_a_module_needs_is_an_error() -> None:
    with pytest.raises(ic.ConfigError, match="'asyncio' needs 'select'.*-asyncio"):
        ic.resolve_modules("full", variant_modules("full"), ["-select"])
    assert "select" not in ic.resolve_modules("full", variant_modules("full"), ["-select", "-asyncio"])


@pytest.mark.parametrize(("change", "message"), [
    ("+jsn", r"unknown module 'jsn' \(did you mean 'json'\?\); valid modules: array, asyncio, .*, vfs$"),
    ("-nosuchthing", r"unknown module 'nosuchthing'; valid modules: array, "),
    ("-sys", r"'sys' is part of every image"),
    ("+host", r"'host' is part of every image"),
    ("+", r"bad module change '\+': write \+NAME to add a module or -NAME to remove one"),
    ("+re,-re", r"'re' is both added and removed"),
])
def test_bad_module_changes(change: str, message: str) -> None:
    with pytest.raises(ic.ConfigError, match=message) as info:
        ic.parse_module_changes(change)
    assert "\n" not in str(info.value)


def test_module_header_switches_every_module() -> None:
    header = ic.modules_header("standard", ["framebuf", "json"])
    for name, module in ic.MODULES.items():
        value = 1 if name in ("framebuf", "json") else 0
        assert header.count(f"#define {module.macro} ") == 1
        assert f"#undef {module.macro}\n#define {module.macro} ({value})" in header


# -- frozen code -------------------------------------------------------------------------


def test_freeze_entries(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    plain = tmp_path / "lib"
    plain.mkdir()
    (plain / "a.py").write_text("")
    single = tmp_path / "one.py"
    single.write_text("")
    lines = ic.freeze_entries([package, plain, single])
    assert lines == [
        f"package('pkg', base_path={str(tmp_path)!r})",
        f"freeze({str(plain)!r})",
        f"module('one.py', base_path={str(tmp_path)!r})",
    ]
    with pytest.raises(ic.ConfigError, match="freeze path not found: .*missing"):
        ic.freeze_entries([tmp_path / "missing"])
    (tmp_path / "notes.txt").write_text("")
    with pytest.raises(ic.ConfigError, match="cannot freeze .*notes.txt"):
        ic.freeze_entries([tmp_path / "notes.txt"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(ic.ConfigError, match="has no .py files"):
        ic.freeze_entries([tmp_path / "empty"])


def test_example_manifest_freezes_a_package_and_a_micropython_lib_requirement() -> None:
    frozen = dict(ic.list_frozen(EXAMPLES / "textkit" / "manifest.py", MPY_DIR, PORT_DIR))
    assert set(frozen) == {
        "keyword.py", "textkit/__init__.py", "textkit/fuzzy.py",
        "textkit/formats/__init__.py", "textkit/formats/tabular.py",
    }
    assert Path(frozen["keyword.py"]).is_relative_to(MPY_DIR / "lib" / "micropython-lib")
    assert frozen["textkit/formats/tabular.py"] == str(EXAMPLES / "textkit" / "textkit" / "formats" / "tabular.py")


@pytest.mark.parametrize(("text", "message"), [
    ('require("no-such-package")\n', r"manifest error: .*m\.py: Package 'no-such-package' not found in any known library\."),
    ('package("pkg"\n', r"manifest error: .*m\.py: '\(' was never closed"),
    ('module("absent.py")\n', r"manifest error: .*m\.py: Cannot stat .*absent\.py"),
])
def test_manifest_errors_are_one_line(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "m.py").write_text(text)
    with pytest.raises(ic.ConfigError, match=message) as info:
        ic.list_frozen(tmp_path / "m.py", MPY_DIR, PORT_DIR)
    assert "\n" not in str(info.value)


def test_two_sources_for_one_frozen_name_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "bisect.py").write_text("")
    (tmp_path / "m.py").write_text(f'require("bisect")\nmodule("bisect.py", base_path={str(tmp_path)!r})\n')
    with pytest.raises(ic.ConfigError, match="two files would be frozen as bisect.py"):
        ic.list_frozen(tmp_path / "m.py", MPY_DIR, PORT_DIR)


def test_frozen_inputs_forget_what_left_the_manifest(tmp_path: Path) -> None:
    """makemanifest.py only looks at mtimes: a file dropped from the manifests must force regeneration."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("a.py", "b.py"):
        (src / name).write_text("x = 1\n")
    build = tmp_path / "build"
    (build / "frozen_mpy").mkdir(parents=True)
    (tmp_path / "base.py").write_text("")

    def record(*names: str) -> dict[str, object]:
        manifest = tmp_path / "manifest.py"
        manifest.write_text("".join(f"module({n!r}, base_path={str(src)!r})\n" for n in names))
        args = ["frozen-inputs", "--manifest", str(manifest), "--base-manifest", str(tmp_path / "base.py"),
                "--mpy-dir", str(MPY_DIR), "--port-dir", str(PORT_DIR), "--build-dir", str(build),
                "--output", str(build / "frozen_inputs.json")]
        assert ic.main(args) == 0
        return json.loads((build / "frozen_inputs.json").read_text())

    first = record("a.py", "b.py")
    assert [f["target"] for f in first["files"]] == ["a.py", "b.py"]
    assert all(f["user"] for f in first["files"])
    for name in ("a.mpy", "b.mpy"):
        (build / "frozen_mpy" / name).write_text("compiled")
    (build / "frozen_content.c").write_text("// frozen")
    record("a.py", "b.py")  # nothing changed: everything kept
    assert (build / "frozen_content.c").exists() and (build / "frozen_mpy" / "b.mpy").exists()
    record("a.py")  # b.py left: its bytecode and the frozen content go
    assert not (build / "frozen_content.c").exists()
    assert not (build / "frozen_mpy" / "b.mpy").exists()
    assert (build / "frozen_mpy" / "a.mpy").exists()


# -- C modules ---------------------------------------------------------------------------


def test_example_c_module_registers_its_module() -> None:
    [resolved] = ic.resolve_c_modules([EXAMPLES / "editdistance"], Path("/nonexistent"))
    assert resolved.cmake_file == EXAMPLES / "editdistance" / "micropython.cmake"
    assert resolved.modules == ["editdistance"]


def test_parent_directory_of_c_modules(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "editdistance", tmp_path / "mods" / "editdistance")
    (tmp_path / "mods" / "README").write_text("not a module")
    [resolved] = ic.resolve_c_modules([tmp_path / "mods"], tmp_path / "work")
    assert resolved.path == tmp_path / "mods" / "editdistance"


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_micropython_mk_becomes_cmake(tmp_path: Path) -> None:
    module = tmp_path / "editdistance"
    shutil.copytree(EXAMPLES / "editdistance", module)
    (module / "micropython.cmake").unlink()
    [resolved] = ic.resolve_c_modules([module], tmp_path / "work")
    text = resolved.cmake_file.read_text()
    assert resolved.cmake_file.is_relative_to(tmp_path / "work")
    assert f'target_sources(usermod_mk0_editdistance INTERFACE "{module}/editdistance.c")' in text
    assert f'target_include_directories(usermod_mk0_editdistance INTERFACE "{module}")' in text
    assert "target_link_libraries(usermod INTERFACE usermod_mk0_editdistance)" in text


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize(("mk", "message"), [
    ("SRC_USERMOD_CXX += $(USERMOD_DIR)/x.cpp\n", r"has C\+\+ sources"),
    ("CFLAGS_USERMOD += -I$(USERMOD_DIR)\n", "adds no sources"),
    ("SRC_USERMOD_C += $(USERMOD_DIR)/gone.c\n", "names a missing source file: .*gone.c"),
    ("$(error this module needs FOO)\n", "micropython.mk: .*this module needs FOO"),
])
def test_bad_micropython_mk(tmp_path: Path, mk: str, message: str) -> None:
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "micropython.mk").write_text(mk)
    with pytest.raises(ic.ConfigError, match=message):
        ic.resolve_c_modules([tmp_path / "mod"], tmp_path / "work")


def test_directory_without_a_c_module(tmp_path: Path) -> None:
    with pytest.raises(ic.ConfigError, match="is not a C module: it needs a micropython.cmake or micropython.mk"):
        ic.resolve_c_modules([tmp_path], tmp_path / "work")


# -- micropython-wasi build: bad input ------------------------------------------------------


def build_cli(tmp_path: Path, *args: str, source: Path | None = REPO) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop(builder.SOURCE_ENV_VAR, None)
    if source is not None:
        env[builder.SOURCE_ENV_VAR] = str(source)
    return subprocess.run(
        [sys.executable, "-m", "micropython_wasi.cli", "build", "--build-dir", str(tmp_path / "bd"), *args],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env,
    )


BAD_INPUTS = [
    (["--variant", "tiny"], r"unknown variant 'tiny'; valid variants: full, minimal, standard"),
    (["--module", "+jsn"], r"unknown module 'jsn' \(did you mean 'json'\?\); valid modules: array, "),
    (["--module", "-sys"], r"module 'sys' is part of every image and cannot be added or removed"),
    (["--freeze", "nothere"], r"freeze path not found: .*nothere"),
    (["--freeze", "notes.txt"], r"cannot freeze .*notes.txt: give a package directory, a .py file"),
    (["--c-module", "nothere"], r"C module directory not found: .*nothere"),
    (["--c-module", "."], r"is not a C module: it needs a micropython.cmake or micropython.mk"),
    (["--manifest", "nothere.py"], r"manifest not found: .*nothere.py"),
    (["--manifest", "bad_manifest.py"], r"manifest error: .*bad_manifest.py: Package 'nope' not found"),
    (["-o", "image.bin"], r"output .*image.bin must end in .wasm"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUTS, ids=[" ".join(a) for a, _ in BAD_INPUTS])
def test_bad_input_is_a_one_line_error(tmp_path: Path, args: list[str], message: str) -> None:
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "bad_manifest.py").write_text('require("nope")\n')
    result = build_cli(tmp_path, *args, "-o", "out.wasm") if "-o" not in args else build_cli(tmp_path, *args)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("micropython-wasi build: error: ")
    assert re.search(message, lines[0]), lines[0]
    # Nothing was built or written.
    assert not (tmp_path / "bd").exists()
    assert not list(tmp_path.glob("*.wasm")) and not list(tmp_path.glob("*.json"))


def test_module_option_takes_a_leading_minus(tmp_path: Path) -> None:
    # `--module -re` (not only `--module=-re`): argparse alone would take -re for an option.
    args = builder._parser().parse_args(builder._attach_module_values(["--module", "-re", "--module", "+framebuf"]))
    assert args.modules == ["-re", "+framebuf"]


def test_no_source_tree_says_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(builder.SOURCE_ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(builder, "_installed_from", lambda: (None, False))
    with pytest.raises(BuildError, match=r"no micropython-wasi source tree found: run this in a checkout .* or pass --source DIR"):
        builder.find_source()
    with pytest.raises(BuildError, match=r"--source .* is not a micropython-wasi source tree"):
        builder.find_source(tmp_path)
    assert builder.find_source(REPO) == REPO
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    monkeypatch.setenv(builder.SOURCE_ENV_VAR, str(REPO))
    assert builder.find_source() == REPO


def test_source_tree_found_from_a_subdirectory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(builder.SOURCE_ENV_VAR, raising=False)
    monkeypatch.setattr(builder, "_installed_from", lambda: (None, False))
    monkeypatch.chdir(EXAMPLES / "editdistance")
    assert builder.find_source() == REPO


def test_build_list(tmp_path: Path) -> None:
    result = build_cli(tmp_path, "--list")
    assert result.returncode == 0, result.stderr
    assert "variants: full, minimal, standard" in result.stdout
    for name in ic.MODULES:
        assert re.search(rf"^  {name} +\S", result.stdout, re.M), name


# -- what is in an image ---------------------------------------------------------------------


def test_info_describes_the_bundled_image(image_path: Path) -> None:
    result = run_cli("--info")
    assert result.returncode == 0, result.stderr
    info = micropython_wasi.image_info()
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"image: {image_path} (")
    assert lines[1] == f"MicroPython {info.micropython_version}, variant {info.variant}"
    assert lines[2] == f"built-in modules ({len(info.modules)}): {' '.join(info.modules)}"
    assert lines[3] == f"frozen modules ({len(info.frozen_modules)}): {' '.join(info.frozen_modules)}"


def test_info_of_a_custom_image_manifest(tmp_path: Path, image_path: Path) -> None:
    image = tmp_path / "custom.wasm"
    shutil.copyfile(image_path, image)
    manifest = json.loads(image_path.with_suffix(".json").read_text())
    manifest.update(variant="minimal", module_changes=["+json"], modules=["builtins", "editdistance", "json", "sys"],
                    frozen_modules=["textkit"], user_c_modules=[{"path": "/x", "modules": ["editdistance"]}],
                    user_frozen_modules=["textkit"])
    image.with_suffix(".json").write_text(json.dumps(manifest))
    result = run_cli("--info", "--image", str(image))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        f"MicroPython {manifest['micropython_version']}, variant minimal (+json)",
        "built-in modules (4): builtins editdistance json sys",
        "frozen modules (1): textkit",
        "user C modules: editdistance",
        "user frozen modules: textkit",
    ]


def test_info_of_a_missing_image(tmp_path: Path) -> None:
    result = run_cli("--info", "--image", str(tmp_path / "nothere.wasm"))
    assert result.returncode == 1
    assert "nothere.wasm" in result.stderr and "Traceback" not in result.stderr


# -- the documented commands ---------------------------------------------------------------------


def documented_commands() -> list[tuple[str, str]]:
    """(file, command) of every `$ ...` line in docs/build.md and the README's build section."""
    commands = []
    for path in (REPO / "docs" / "build.md", REPO / "README.md"):
        text = path.read_text()
        if path.name == "README.md":
            match = re.search(r"^## Build your own image\n(.*?)(?=^## )", text, re.S | re.M)
            assert match, "README.md has no 'Build your own image' section"
            text = match.group(1)
        for block in re.findall(r"```console\n(.*?)```", text, re.S):
            commands += [(path.name, line[2:]) for line in block.splitlines() if line.startswith("$ ")]
    return commands


def test_documented_build_commands_are_valid() -> None:
    """Every documented `micropython-wasi build` parses and names existing paths (test_build_docs.py runs them)."""
    import shlex

    builds = [(f, c) for f, c in documented_commands() if c.startswith("micropython-wasi build")]
    assert len(builds) >= 4
    assert any(f == "README.md" for f, _ in builds)
    for _, command in builds:
        args = builder._parser().parse_args(builder._attach_module_values(shlex.split(command)[2:]))
        for path in [*args.c_modules, *args.freeze, *args.manifests]:
            assert (REPO / path).exists(), f"{command}: {path} does not exist"
        ic.parse_module_changes(args.modules)
        assert args.variant in ("minimal", "standard", "full")


@pytest.mark.skipif(os.name != "posix", reason="build directory locking is POSIX-only")
def test_one_build_at_a_time_in_a_build_directory(tmp_path: Path) -> None:
    import threading
    import time

    first: list[str] = []
    second: list[str] = []
    entered = threading.Event()

    def other_build() -> None:
        with builder._locked(tmp_path, second.append):
            entered.set()

    with builder._locked(tmp_path, first.append):
        thread = threading.Thread(target=other_build)
        thread.start()
        time.sleep(0.3)
        assert not entered.is_set()
    thread.join(10)
    assert entered.is_set()
    assert first == [] and second == [f"waiting for another build in {tmp_path} to finish"]


def test_source_tree_without_the_micropython_submodule(tmp_path: Path) -> None:
    (tmp_path / "ports" / "wasi").mkdir(parents=True)
    (tmp_path / "ports" / "wasi" / "CMakeLists.txt").write_text("")
    (tmp_path / "ports" / "wasi" / "tools").mkdir()
    shutil.copy(REPO / "ports" / "wasi" / "tools" / "image_config.py", tmp_path / "ports" / "wasi" / "tools")
    (tmp_path / "micropython").mkdir()
    with pytest.raises(BuildError, match=r"the MicroPython sources are missing from .*micropython: in a git "
                                         r"checkout run `git submodule update --init micropython"):
        micropython_wasi.build(tmp_path / "out.wasm", source=tmp_path, build_dir=tmp_path / "bd")
    assert not (tmp_path / "bd").exists()


# -- the contract with the source tree's image_config.py -------------------------------------


def minimal_source_tree(tmp_path: Path, image_config: str | None) -> Path:
    """A source tree that passes the driver's checks up to loading ports/wasi/tools/image_config.py."""
    (tmp_path / "ports" / "wasi").mkdir(parents=True)
    (tmp_path / "ports" / "wasi" / "CMakeLists.txt").write_text("")
    (tmp_path / "micropython" / "py").mkdir(parents=True)
    (tmp_path / "micropython" / "py" / "mpconfig.h").write_text("")
    if image_config is not None:
        (tmp_path / "ports" / "wasi" / "tools").mkdir()
        (tmp_path / "ports" / "wasi" / "tools" / "image_config.py").write_text(image_config)
    return tmp_path


@pytest.mark.parametrize(("edit", "message"), [
    (lambda text: text.replace("API_VERSION = 1\n", "API_VERSION = 99\n"), r"its API_VERSION is 99; .* needs 1"),
    (lambda text: text.replace("API_VERSION = 1\n", ""), r"its API_VERSION is None; .* needs 1"),
    (lambda text: text + "\nraise RuntimeError('broken')\n", r"cannot load .*image_config.py: RuntimeError: broken"),
    # A tree from before the module moved to ports/wasi/tools/.
    (lambda text: None, r"has no ports/wasi/tools/image_config.py: it is from another version .* needs its API_VERSION 1"),
], ids=["other-version", "no-version", "broken", "missing"])
def test_image_config_of_another_version_is_refused(tmp_path: Path, edit: object, message: str) -> None:
    text = (REPO / "ports" / "wasi" / "tools" / "image_config.py").read_text()
    assert "API_VERSION = 1\n" in text  # (else update the edits above)
    source = minimal_source_tree(tmp_path / "src", edit(text))  # type: ignore[operator]
    with pytest.raises(BuildError, match=message):
        micropython_wasi.build(tmp_path / "out.wasm", source=source, build_dir=tmp_path / "bd")
    assert not (tmp_path / "bd").exists()
    result = build_cli(tmp_path, "--list", source=source)
    assert result.returncode == 1 and re.search(message, result.stderr), result.stderr


def test_image_config_api_version_matches_the_driver() -> None:
    assert ic.API_VERSION == builder.IMAGE_CONFIG_API_VERSION


def test_check_inputs_is_what_configure_checks(tmp_path: Path) -> None:
    """The configure step (which CMake runs) rejects bad input with the driver's message."""
    args = ["configure", "--variant", "standard", "--mpy-dir", str(MPY_DIR), "--port-dir", str(PORT_DIR),
            "--out-dir", str(tmp_path / "out")]
    for extra, message in [
        (["--modules=+jsn"], "unknown module 'jsn'"),
        ([f"--c-modules={tmp_path / 'nothere'}"], "C module directory not found"),
        ([f"--freeze={tmp_path / 'nothere.py'}"], "freeze path not found"),
        ([f"--freeze-manifests={tmp_path / 'nothere.py'}"], "manifest not found"),
    ]:
        proc = subprocess.run([sys.executable, str(REPO / "ports" / "wasi" / "tools" / "image_config.py"), *args, *extra],
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.startswith(f"error: {message}"), proc.stderr
    check = subprocess.run([sys.executable, str(REPO / "ports" / "wasi" / "tools" / "image_config.py"), "check", "--variant=tiny"],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 2
    assert check.stderr == "error: unknown variant 'tiny'; valid variants: full, minimal, standard\n"
    ic.check_inputs(PORT_DIR, variant="minimal", changes="+json;-re", c_modules=[EXAMPLES / "editdistance"],
                    freeze=[EXAMPLES / "textkit"], mpy_dir=MPY_DIR)
    # A C module may be named by its micropython.cmake, as with upstream's USER_C_MODULES; not by another file.
    ic.check_inputs(PORT_DIR, c_modules=[EXAMPLES / "editdistance" / "micropython.cmake"])
    with pytest.raises(ic.ConfigError, match=r"is not a directory: give the directory holding micropython.cmake"):
        ic.check_inputs(PORT_DIR, c_modules=[EXAMPLES / "editdistance" / "editdistance.c"])


# -- reading the build log ---------------------------------------------------------------------


def test_build_progress_from_the_log() -> None:
    from micropython_wasi._build_log import Reporter

    lines: list[str] = []
    reporter = Reporter(lines.append, verbose=False)
    for line in [
        "-- Configuring done",
        "[1/9] micropython-wasi-step: mpy-cross (building mpy-cross for the host)",
        "[2/9] Performing configure step for 'port'",
        "-- micropython-wasi-step: configure-port (configuring the WASI port)",
        "[1/100] Building C object CMakeFiles/micropython.dir/py/obj.c.o",
        "[2/100] Building C object CMakeFiles/micropython.dir/py/gc.c.o",
        "[50/100] Building C object CMakeFiles/micropython.dir/py/vm.c.o",
        "[60/100] micropython-wasi-step: freeze (checking the Python code to freeze)",
        "MPY textkit/__init__.py",
        "[99/100] Linking C executable micropython-unopt.wasm",
        "[100/100] micropython-wasi-step: wasm-opt (wasm-opt: micropython.wasm)",
        "[3/9] micropython-wasi-step: no-such-step",
    ]:
        reporter.line(line)
    assert lines == [
        "building mpy-cross (host compiler)", "configuring the port", "compiling C: 1/100", "compiling C: 50/100",
        "freezing Python code", "linking", "optimising (wasm-opt)",
    ]
    verbose: list[str] = []
    Reporter(verbose.append, verbose=True).line("anything")
    assert verbose == ["anything"]


def test_every_build_step_has_its_marker_in_the_cmake_files() -> None:
    """The CMake lines the progress parser matches exist, each with a note that Python parses it."""
    from micropython_wasi._build_log import STEP_MARKER, STEPS

    cmake = "\n".join((REPO / p).read_text() for p in ("CMakeLists.txt", "ports/wasi/CMakeLists.txt"))
    for step in STEPS:
        marker = re.search(rf"^(.*)\n.*\"{re.escape(STEP_MARKER)}{step}\b", cmake, re.M)
        assert marker, f"no {STEP_MARKER}{step} marker in the CMake files"
        assert "_build_log.py parses" in marker.group(1), f"the {step} marker has no note that Python parses it"


def test_build_failure_messages() -> None:
    from micropython_wasi._build_log import build_failure

    cmake = ["CMake Error at CMakeLists.txt:40 (message):", "  unknown module 'jsn'", "", "-- Configuring incomplete"]
    assert str(build_failure(cmake, Path("/b"), Path("/b/build.log"))) == "unknown module 'jsn'"
    compile_error = ["[3/9] Building C object x.c.o", "FAILED: x.c.o", "zig cc ... -c x.c",
                     "x.c:3:5: error: unknown type name 'nope'", "ninja: build stopped: subcommand failed."]
    message = str(build_failure(compile_error, Path("/b"), Path("/b/build.log")))
    assert message == "C compilation failed:\nx.c:3:5: error: unknown type name 'nope'\n(full log: /b/build.log)"
