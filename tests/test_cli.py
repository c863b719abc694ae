"""The micropython-wasi command: modes, exit codes, flags, the REPL on a terminal."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_cli

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX command line behaviour")


def cli(*args: str, cwd: Path | None = None, input: str | None = None,
        env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "micropython_wasi.cli", *args], cwd=cwd, input=input,
                          capture_output=True, text=True, timeout=60, env=env)


def test_dash_c_with_arguments() -> None:
    proc = run_cli("-c", "import sys\nprint('hi', sys.argv)", "a", "-b")
    assert proc.returncode == 0 and proc.stdout == "hi ['-c', 'a', '-b']\n" and proc.stderr == ""


def test_started_from_the_root_directory() -> None:
    """In a container the current directory is often "/", which holds /proc:
    it is not shared, and the program still runs, at the guest's "/"."""
    proc = subprocess.run([sys.executable, "-m", "micropython_wasi.cli", "-c", "import os; print(os.getcwd())"],
                          capture_output=True, text=True, timeout=60, cwd="/")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "/\n", "")


def test_exit_codes_like_micropython() -> None:
    failed = run_cli("-c", "print('out')\n1/0")
    assert failed.returncode == 1 and failed.stdout == "out\n"
    assert failed.stderr.endswith("ZeroDivisionError: divide by zero\n")
    assert run_cli("-c", "import sys\nsys.exit(7)").returncode == 7
    assert run_cli("-c", "import sys\nsys.exit()").returncode == 0
    assert run_cli("-c", "raise SystemExit('message')").returncode == 1


def test_file_with_arguments_sibling_imports_and_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "util.py").write_text("def shout(s):\n    return s.upper()\n")
    (tmp_path / "data.txt").write_text("from a file")
    (tmp_path / "prog.py").write_text(
        "import sys\nfrom pkg import util\nprint(util.shout(open('data.txt').read()), sys.argv)\n"
        "def f():\n    raise ValueError('in file')\nf()\n")
    proc = cli("prog.py", "x", "y", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == "FROM A FILE ['prog.py', 'x', 'y']\n"
    assert 'File "prog.py", line 6, in <module>' in proc.stderr
    assert proc.stderr.endswith("ValueError: in file\n")


def test_file_in_another_directory(tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "helper.py").write_text("X = 5\n")
    (app / "main.py").write_text("import helper\nprint(helper.X * 2)\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert cli(str(app / "main.py"), cwd=elsewhere).stdout == "10\n"
    assert cli("../app/main.py", cwd=elsewhere).stdout == "10\n"


def test_missing_file() -> None:
    proc = run_cli("/no/such/file.py")
    assert proc.returncode == 2 and "can't open file '/no/such/file.py'" in proc.stderr


def test_dash_m_module_from_the_current_directory(tmp_path: Path) -> None:
    (tmp_path / "tool.py").write_text("import sys\nprint('tool', __name__, sys.argv)\n")
    proc = cli("-m", "tool", "arg", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout == "tool __main__ ['tool', 'arg']\n"


def test_program_on_stdin() -> None:
    proc = run_cli(input="x = 6\nprint(x * 7)\n")
    assert proc.returncode == 0 and proc.stdout == "42\n"
    assert run_cli("-", input="print('dash')\n").stdout == "dash\n"


def test_input_reads_stdin_without_echo() -> None:
    proc = run_cli("-c", "a = input()\nb = input('> ')\nprint(a + b)", input="one\ntwo\n")
    assert proc.stdout == "> onetwo\n"


def test_output_is_streamed_in_order() -> None:
    proc = subprocess.run([sys.executable, "-m", "micropython_wasi.cli", "-c",
                           "import sys\nprint('a')\nsys.stderr.write('b\\n')\nprint('c')"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=60)
    assert proc.stdout == "a\nb\nc\n"


def test_limit_flags() -> None:
    slow = run_cli("--timeout", "0.3", "-c", "print('started')\nwhile True:\n    pass")
    assert slow.returncode == 1 and slow.stdout == "started\n"
    assert "timeout of 0.3 s" in slow.stderr
    fuel = run_cli("--fuel", "1000000", "-c", "while True:\n    pass")
    assert fuel.returncode == 1 and "fuel" in fuel.stderr
    loud = run_cli("--max-output", "1k", "-c", "while True:\n    print('x' * 100)")
    assert loud.returncode == 1 and len(loud.stdout) == 1024 and "max_output=1024" in loud.stderr
    small = run_cli("--memory-limit", "4m", "-c", "b = bytearray(8 * 1024 * 1024)")
    assert small.returncode == 1 and "memory" in small.stderr
    assert run_cli("--memory-limit", "64m", "-c", "print(len(bytearray(8 * 1024 * 1024)))").stdout == "8388608\n"
    heap = run_cli("-X", "heapsize=2m", "-X", "emit=bytecode", "-c", "b = bytearray(6 * 1024 * 1024)")
    assert heap.returncode == 1


def test_mount_flags(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "in.txt").write_text("input")
    ro = cli("--mount", f"{data}:/d", "-c", "print(open('/d/in.txt').read())\nopen('/d/out.txt', 'w')")
    assert ro.stdout == "input\n" and ro.returncode == 1 and "OSError" in ro.stderr
    rw = cli("--mount", f"{data}:/d:rw", "-c", "open('/d/out.txt', 'w').write('written')")
    assert rw.returncode == 0 and (data / "out.txt").read_text() == "written"
    same_path = cli("--mount", str(data), "-c", f"print(open({str(data / 'in.txt')!r}).read())")
    assert same_path.stdout == "input\n"
    assert cli("--mount", "/no/such/dir:/x", "-c", "pass").returncode == 2


def test_current_directory_is_visible_read_only_unless_no_cwd(tmp_path: Path) -> None:
    (tmp_path / "here.txt").write_text("here")
    assert cli("-c", "print(open('here.txt').read())", cwd=tmp_path).stdout == "here\n"
    write = cli("-c", "open('new.txt', 'w')", cwd=tmp_path)
    assert write.returncode == 1 and not (tmp_path / "new.txt").exists()
    hidden = cli("--no-cwd", "-c", "open('here.txt')", cwd=tmp_path)
    assert hidden.returncode == 1 and "OSError" in hidden.stderr


def test_micropypath(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "extra.py").write_text("NAME = 'extra'\n")
    env = dict(os.environ, MICROPYPATH=f".frozen{os.pathsep}{lib}")
    proc = cli("--no-cwd", "-c", "import extra, sys\nprint(extra.NAME, sys.path[0] == '', '.frozen' in sys.path)",
               env=env)
    assert proc.stdout == "extra True True\n", proc.stderr


def test_host_function_flag() -> None:
    proc = run_cli("--host-function", "hostname=socket:gethostname", "-c", "print(type(hostname()).__name__)")
    assert proc.stdout == "str\n"
    assert run_cli("--host-function", "bad", "-c", "pass").returncode == 2


@pytest.mark.parametrize("args", [["--bogus"], ["-c"], ["--timeout", "soon", "-c", "pass"],
                                  ["--memory-limit", "lots", "-c", "pass"], ["-X", "nonsense", "-c", "pass"],
                                  ["--timeout", "-1", "-c", "pass"], ["--memory-limit", "1k", "-c", "pass"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    proc = run_cli(*args)
    assert proc.returncode == 2 and proc.stderr.startswith("micropython-wasi: ")


def test_help_and_version() -> None:
    helped = run_cli("--help")
    assert helped.returncode == 0 and "usage: micropython-wasi" in helped.stdout and "--mount" in helped.stdout
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("micropython-wasi ")
    assert "MicroPython 1." in version.stdout


# -- the REPL on a terminal -------------------------------------------------------------


class Terminal:
    """The command running on a pseudo-terminal."""

    def __init__(self, *args: str) -> None:
        import pty
        import termios

        self.master, self.slave = pty.openpty()
        self.original = termios.tcgetattr(self.slave)
        def controlling_terminal() -> None:
            # A session of its own with the terminal as its controlling
            # terminal: Ctrl-C typed there sends SIGINT, as in a shell.
            import fcntl

            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.proc = subprocess.Popen([sys.executable, "-m", "micropython_wasi.cli", *args],
                                     stdin=self.slave, stdout=self.slave, stderr=self.slave, close_fds=True,
                                     start_new_session=True, preexec_fn=controlling_terminal)

    def read_until(self, marker: bytes, timeout: float = 30) -> bytes:
        data = b""
        end = time.monotonic() + timeout
        while marker not in data:
            remaining = end - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {marker!r} in {data!r}")
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                data += os.read(self.master, 4096)
        return data

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> int:
        code = self.proc.wait(30)
        os.close(self.master)
        os.close(self.slave)
        return code


def test_repl_keeps_state_interrupts_and_exits() -> None:
    import termios

    term = Terminal()
    try:
        banner = term.read_until(b">>> ")
        assert b"MicroPython" in banner and b"wasi" in banner.lower()
        term.send(b"x = 6 * 7\r")
        term.read_until(b">>> ")
        term.send(b"print(x)\r")
        assert b"42" in term.read_until(b">>> ")
        term.send(b"while True: pass\r\r")
        time.sleep(0.5)
        term.send(b"\x03")  # Ctrl-C while code runs
        assert b"KeyboardInterrupt" in term.read_until(b">>> ")
        term.send(b"print('after', x)\r")
        assert b"after 42" in term.read_until(b">>> ")
        term.send(b"\x04")  # Ctrl-D ends the REPL
        code = term.proc.wait(30)
        assert code == 0
        assert termios.tcgetattr(term.slave) == term.original  # terminal restored
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
        term.close()


def test_dash_i_enters_the_repl_after_the_program() -> None:
    term = Terminal("-i", "-c", "answer = 42")
    try:
        term.read_until(b">>> ")
        term.send(b"print(answer + 1)\r")
        assert b"43" in term.read_until(b">>> ")
        term.send(b"\x04")
        assert term.proc.wait(30) == 0
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
        term.close()


def test_ctrl_c_interrupts_a_program() -> None:
    term = Terminal("-c", "import time\nprint('ready')\nwhile True:\n    time.sleep(0.01)")
    try:
        term.read_until(b"ready")
        time.sleep(0.2)
        term.send(b"\x03")
        output = term.read_until(b"KeyboardInterrupt")
        assert b"Traceback" in output
        assert term.proc.wait(30) == 1
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
        term.close()
