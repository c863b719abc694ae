"""The micropython-wasi command: run code in the sandbox like the `micropython` binary.

    micropython-wasi [options] [-c CODE | -m MODULE | FILE] [args...]

With no program and a terminal on stdin it starts MicroPython's interactive
REPL; with no program and a file or pipe on stdin it runs what stdin holds.
Output is streamed as the guest writes it. The exit status is the guest's:
0, 1 after an uncaught exception, or the value passed to sys.exit(); 1 when a
limit stopped the program, 2 for a bad command line.

What the guest sees of the host: the current directory (read-only, at its
own path, and the guest's current directory) unless --no-cwd, the directory
of FILE (read-only), directories named by MICROPYPATH (read-only) and
--mount directories. Nothing else.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from .errors import LimitExceeded, SandboxError

USAGE = """\
usage: micropython-wasi [options] [-c CODE | -m MODULE | FILE] [args...]
       micropython-wasi build --help

Run Python code in a sandboxed MicroPython interpreter (WebAssembly/WASI).

  -c CODE                 program passed in as a string
  -m MODULE               run a module as __main__
  FILE                    program read from a file ('-': stdin)
  -i                      enter the REPL after running the program
  -v                      print the bytecode of what is compiled (-v -v), memory statistics at exit
  -O[N]                   optimisation level N (-O, -OO, -O3): assert statements, __debug__
  -X heapsize=N[k|m]      GC heap size (sets --memory-limit); -X emit=bytecode is accepted
  -X compile-only         compile the program, do not run it
  --memory-limit BYTES    guest memory limit, e.g. 64m (default 64 MiB)
  --timeout SECONDS       wall-clock limit per run (default: none)
  --fuel N                instruction budget (default: none)
  --max-output BYTES      stdout + stderr limit (default: none)
  --mount HOST[:GUEST][:rw|:ro]
                          make a host directory visible (default read-only, at GUEST,
                          default the same path); repeatable
  --no-cwd                do not make the current directory visible
  --host-function NAME=MODULE:ATTR
                          make a host Python callable callable from the guest; repeatable
  --image PATH            interpreter image to use instead of the bundled one
  --info                  describe the image (variant, built-in, C and frozen modules) and exit
  --version               print versions and exit
  -h, --help              show this help and exit

micropython-wasi build --help: build a custom interpreter image.
"""


class UsageError(Exception):
    """A bad command line."""


class Options:
    """The parsed command line."""

    def __init__(self) -> None:
        self.command: str | None = None
        self.module: str | None = None
        self.file: str | None = None
        self.args: list[str] = []
        self.inspect = False
        self.verbose = 0
        self.optimise: int | None = None
        self.compile_only = False
        self.help = False
        self.version = False
        self.info = False
        self.image: str | None = None
        self.memory_limit: int | None = None
        self.timeout: float | None = None
        self.fuel: int | None = None
        self.max_output: int | None = None
        self.mounts: list[str] = []
        self.no_cwd = False
        self.host_functions: list[str] = []


def parse_size(text: str, what: str) -> int:
    """'65536', '64k', '64m', '1g' -> bytes."""
    units = {"k": 1024, "m": 1024**2, "g": 1024**3}
    value = text.strip().lower()
    scale = 1
    if value.endswith("b"):
        value = value[:-1]
    if value[-1:] in units:
        scale = units[value[-1]]
        value = value[:-1]
    try:
        number = float(value) if "." in value else int(value, 0)
    except ValueError:
        raise UsageError(f"{what}: not a size: {text!r} (examples: 65536, 512k, 64m)") from None
    if number < 0:
        raise UsageError(f"{what}: must not be negative: {text!r}")
    return int(number * scale)


def _number(text: str, what: str, kind: Callable[[str], Any]) -> Any:
    try:
        return kind(text)
    except ValueError:
        raise UsageError(f"{what}: not a number: {text!r}") from None


_LONG_WITH_VALUE = {
    "--image", "--memory-limit", "--timeout", "--fuel", "--max-output", "--mount", "--host-function",
}


def parse_args(argv: list[str]) -> Options:
    """Parse a command line the way `micropython` does: options stop at the program."""
    opts = Options()
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg == "--":
            if i < len(argv):
                opts.file, opts.args = argv[i], argv[i + 1:]
            return opts
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            if name in _LONG_WITH_VALUE:
                if not eq:
                    if i >= len(argv):
                        raise UsageError(f"{name} needs a value")
                    value = argv[i]
                    i += 1
                _long_option(opts, name, value)
            elif name in ("--help", "--version", "--info", "--no-cwd") and not eq:
                setattr(opts, name[2:].replace("-", "_"), True)
            else:
                raise UsageError(f"unknown option {arg!r}")
            continue
        if arg.startswith("-") and arg != "-":
            flag, rest = arg[:2], arg[2:]
            if flag in ("-c", "-m", "-X"):
                if not rest:
                    if i >= len(argv):
                        raise UsageError(f"{flag} needs a value")
                    rest = argv[i]
                    i += 1
                if flag == "-c":
                    opts.command, opts.args = rest, argv[i:]
                    return opts
                if flag == "-m":
                    opts.module, opts.args = rest, argv[i:]
                    return opts
                _x_option(opts, rest)
            elif flag == "-i" and not rest:
                opts.inspect = True
            elif flag == "-h" and not rest:
                opts.help = True
            elif flag == "-v" and not rest:
                opts.verbose += 1
            elif flag == "-O":
                # As `micropython`: -O3 sets level 3, -OO level 2.
                if rest.isdigit() and len(rest) == 1:
                    opts.optimise = int(rest)
                elif rest.strip("O") == "":
                    opts.optimise = 1 + len(rest)
                else:
                    raise UsageError(f"unknown option {arg!r}")
            else:
                raise UsageError(f"unknown option {arg!r}")
            continue
        opts.file, opts.args = arg, argv[i:]
        return opts
    return opts


def _long_option(opts: Options, name: str, value: str) -> None:
    if name == "--image":
        opts.image = value
    elif name == "--memory-limit":
        opts.memory_limit = parse_size(value, name)
    elif name == "--timeout":
        opts.timeout = _number(value, name, float)
    elif name == "--fuel":
        opts.fuel = _number(value, name, int)
    elif name == "--max-output":
        opts.max_output = parse_size(value, name)
    elif name == "--mount":
        opts.mounts.append(value)
    elif name == "--host-function":
        opts.host_functions.append(value)


def _x_option(opts: Options, value: str) -> None:
    key, _, setting = value.partition("=")
    if key == "heapsize":
        from .sandbox import MEMORY_OVERHEAD, MIN_MEMORY_LIMIT

        opts.memory_limit = max(MIN_MEMORY_LIMIT, parse_size(setting, "-X heapsize") + MEMORY_OVERHEAD)
    elif key == "emit" and setting == "bytecode":
        pass  # the only emitter a wasm image has
    elif key == "compile-only" and not setting:
        opts.compile_only = True
    elif key == "realtime":
        pass
    else:
        raise UsageError(f"unsupported -X option {value!r} (supported: heapsize=N, emit=bytecode, compile-only)")


# -- mounts and paths -------------------------------------------------------------


def parse_mount(spec: str) -> tuple[str, str, bool]:
    """'HOST[:GUEST][:rw|:ro]' -> (host, guest, writable)."""
    parts = spec.split(":")
    writable = False
    if len(parts) > 1 and parts[-1] in ("rw", "ro"):
        writable = parts.pop() == "rw"
    if len(parts) == 1:
        host, guest = parts[0], None
    elif len(parts) == 2:
        host, guest = parts
    else:
        raise UsageError(f"--mount {spec!r}: expected HOST[:GUEST][:rw|:ro]")
    if not host:
        raise UsageError(f"--mount {spec!r}: the host directory is empty")
    real = os.path.realpath(host)
    return real, guest or real, writable


class _PathMap:
    """Where host paths appear in the guest, given the mounts."""

    def __init__(self) -> None:
        self.mounts: dict[str, tuple[str, bool]] = {}  # guest -> (real host dir, writable)

    def add(self, host: str, guest: str, writable: bool) -> None:
        self.mounts[guest] = (host, writable)

    def to_guest(self, host_path: str) -> str | None:
        real = os.path.realpath(host_path)
        best: tuple[int, str] | None = None
        for guest, (host, _) in self.mounts.items():
            if real == host or real.startswith(host.rstrip("/") + "/"):
                if best is None or len(host) > best[0]:
                    rest = real[len(host):].lstrip("/")
                    best = (len(host), guest.rstrip("/") + "/" + rest if rest else guest)
        return best[1] if best else None


# -- console ------------------------------------------------------------------------


class _Console:
    """The guest's console: output streamed to our stdout/stderr, input from our stdin.

    Input can be interrupted (Ctrl-C while the guest waits for a key), which
    the guest reads as Ctrl-C, as MicroPython's line editor expects.
    """

    def __init__(self) -> None:
        self.out = sys.stdout.buffer
        self.err = sys.stderr.buffer
        self.reading = False
        self.raw = False
        self.terminal: _Terminal | None = None
        self._pending = b""  # read from stdin, not yet passed to the guest
        self._last_cr = False
        self._wake_r, self._wake_w = os.pipe() if os.name == "posix" else (-1, -1)

    def write(self, stream: int, data: bytes) -> None:
        if stream == _STREAM_CONSOLE_MODE:
            if self.terminal is not None:
                if data == b"o":
                    # Code starts running: drop the rest of the line ending
                    # that came with it (see _Terminal).
                    self._pending = self._pending.lstrip(b"\r\n")
                self.terminal.switch(data)
            return
        if self.raw:
            # The terminal is raw (no output processing), as MicroPython's line
            # editor needs: end lines with CR LF ourselves, as a cooked
            # terminal would for program output.
            data = self._crlf(data)
        target = self.err if stream == 2 else self.out
        target.write(data)
        target.flush()

    def _crlf(self, data: bytes) -> bytes:
        if not data:
            return data
        out = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        if self._last_cr and data[:1] == b"\n":
            out = out[1:]
        self._last_cr = data[-1:] == b"\r"
        return out

    def read(self, size: int) -> bytes:
        """Up to `size` bytes of stdin; everything stdin holds is read and kept for later calls."""
        self.out.flush()
        if self._pending:
            data, self._pending = self._pending[:size], self._pending[size:]
            return data
        self.reading = True
        try:
            if self._wake_r >= 0:
                import select

                ready, _, _ = select.select([0, self._wake_r], [], [])
                if self._wake_r in ready:
                    os.read(self._wake_r, 64)
                    return b"\x03"
            data = os.read(0, max(size, 4096))
        except OSError:
            return b""
        finally:
            self.reading = False
        data, self._pending = data[:size], data[size:]
        return data

    def wake(self) -> None:
        if self._wake_w >= 0:
            os.write(self._wake_w, b"x")


_STREAM_CONSOLE_MODE = 3  # (_runtime.STREAM_CONSOLE_MODE, without importing it early)


class _Terminal:
    """The terminal on stdin, switched as the unix port switches it for its REPL.

    Raw while MicroPython's line editor reads (no echo, no line buffering, no
    signals: Ctrl-C, Ctrl-D and Ctrl-E are keys for the editor), the original
    mode while code runs (Ctrl-C interrupts it). The guest says when to
    switch. When code starts running, the rest of the line ending that came
    with it is dropped (the newline after the Ctrl-D that ends paste mode,
    the LF of a CR LF), as the unix port's switch drops it; unlike the unix
    port, which drops all unread input at each switch, input typed ahead or
    while code runs is kept: a slow guest loses no keystrokes.
    """

    def __init__(self, termios: Any, original: list[Any]) -> None:
        self._termios = termios
        self.original = original
        raw = termios.tcgetattr(0)
        raw[0] &= ~(termios.BRKINT | termios.ICRNL | termios.INPCK | termios.ISTRIP | termios.IXON)
        raw[2] = (raw[2] & ~(termios.CSIZE | termios.PARENB)) | termios.CS8
        raw[3] = 0
        raw[6][termios.VMIN] = 1
        raw[6][termios.VTIME] = 0
        self._raw = raw

    @classmethod
    def open(cls) -> _Terminal | None:
        try:
            import termios
        except ImportError:
            return None
        try:
            return cls(termios, termios.tcgetattr(0))
        except termios.error:
            return None

    def switch(self, mode: bytes) -> None:
        termios = self._termios
        try:
            termios.tcsetattr(0, termios.TCSADRAIN, self._raw if mode == b"r" else self.original)
        except termios.error:
            pass

    def restore(self) -> None:
        self.switch(b"o")


def _raw_tty() -> Callable[[], None] | None:
    """Put the terminal on stdin in raw mode (signals still on); returns the undo function."""
    try:
        import termios
    except ImportError:
        return None
    fd = 0
    try:
        old = termios.tcgetattr(fd)
    except termios.error:
        return None
    new = termios.tcgetattr(fd)
    new[0] &= ~(termios.BRKINT | termios.ICRNL | termios.INPCK | termios.ISTRIP | termios.IXON)
    new[1] = 0
    new[2] = (new[2] & ~(termios.CSIZE | termios.PARENB)) | termios.CS8
    new[3] = termios.ISIG  # no echo, no line buffering: MicroPython's line editor does that
    new[6][termios.VMIN] = 1
    new[6][termios.VTIME] = 0
    termios.tcsetattr(fd, termios.TCSADRAIN, new)

    def restore() -> None:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)

    return restore


def _in_worker(sandbox: Any, console: _Console, fn: Callable[[], Any]) -> Any:
    """Run fn in a worker thread so that Ctrl-C here can interrupt the guest.

    Ctrl-C raises KeyboardInterrupt in the guest (or, while it waits for
    input, reads as Ctrl-C); a third Ctrl-C kills the process.
    """
    import signal

    outcome: dict[str, Any] = {}
    done = threading.Event()
    interrupts = 0

    def work() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            outcome["error"] = exc
        finally:
            done.set()

    def on_sigint(signum: int, frame: Any) -> None:
        nonlocal interrupts
        interrupts += 1
        if interrupts >= 3:
            sys.stderr.write("\nmicropython-wasi: killed\n")
            sys.stderr.flush()
            os._exit(130)
        if console.reading:
            console.wake()
        else:
            sandbox.interrupt()

    # wasm runs on the calling thread's stack: give the worker room.
    previous_size = threading.stack_size()
    try:
        threading.stack_size(16 * 1024 * 1024)
    except (ValueError, RuntimeError):
        pass
    worker = threading.Thread(target=work, name="micropython-wasi-guest", daemon=True)
    try:
        previous_handler = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread: no Ctrl-C handling
        previous_handler = None
    try:
        worker.start()
        threading.stack_size(previous_size)
        while not done.wait(0.25):
            if console.reading:
                interrupts = 0
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGINT, previous_handler)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


# -- main -------------------------------------------------------------------------


def _version_text(image: str | None) -> str:
    from . import __version__
    from ._image import image_info
    from ._version import wasmtime_version

    info = image_info(image)
    toolchain = info.manifest.get("toolchain", {})
    return (
        f"micropython-wasi {__version__}\n"
        f"MicroPython {info.micropython_version} ({info.variant} variant)\n"
        f"compiler: {toolchain.get('compiler')}, wasm-opt: {toolchain.get('wasm_opt')}\n"
        f"runtime: wasmtime {wasmtime_version()}"
    )


def _load_host_function(spec: str) -> tuple[str, Callable[..., Any]]:
    name, eq, target = spec.partition("=")
    module_name, colon, attr = target.partition(":")
    if not eq or not colon or not name or not module_name or not attr:
        raise UsageError(f"--host-function {spec!r}: expected NAME=MODULE:ATTR, e.g. now=time:time")
    import importlib

    try:
        obj: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise UsageError(f"--host-function {spec!r}: {exc}") from None
    if not callable(obj):
        raise UsageError(f"--host-function {spec!r}: {target} is not callable")
    return name, obj


def _micropypath(paths: _PathMap, mounts: dict[str, Any]) -> list[str] | None:
    """sys.path entries from MICROPYPATH, mounting the directories it names."""
    from .sandbox import Mount

    value = os.environ.get("MICROPYPATH")
    if value is None:
        return None
    entries = []
    for entry in value.split(os.pathsep):
        if not entry or entry == ".frozen" or not os.path.isdir(entry):
            entries.append(entry)
            continue
        guest = paths.to_guest(entry)
        if guest is None:
            real = os.path.realpath(entry)
            mounts[real] = Mount(real)
            paths.add(real, real, False)
            guest = real
        entries.append(guest if os.path.isabs(entry) else entry)
    return entries


def _execute(opts: Options) -> int:
    from . import _runtime
    from .sandbox import Mount, Sandbox

    _runtime.POOL_SIZE = 0  # one interpreter per process: pooling only costs start-up time

    paths = _PathMap()
    mounts: dict[str, Any] = {}
    for spec in opts.mounts:
        host, guest, writable = parse_mount(spec)
        mounts[guest] = Mount(host, writable=writable)
        paths.add(host, guest, writable)
    cwd = os.getcwd()
    if not opts.no_cwd and paths.to_guest(cwd) is None:
        mounts[cwd] = Mount(cwd)
        paths.add(os.path.realpath(cwd), cwd, False)

    program_file = None
    if opts.file is not None and opts.file != "-":
        if not os.path.isfile(opts.file):
            sys.stderr.write(f"micropython-wasi: can't open file '{opts.file}': [Errno 2] No such file or directory\n")
            return 2
        directory = os.path.dirname(os.path.realpath(opts.file))
        if paths.to_guest(directory) is None:
            mounts[directory] = Mount(directory)
            paths.add(directory, directory, False)
        guest_file = paths.to_guest(opts.file)
        assert guest_file is not None
        # Keep a relative name relative (as `micropython` shows it in tracebacks)
        # when the guest's current directory is ours; libc does not resolve
        # '..' across mounts, so such a name becomes absolute.
        relative = os.path.normpath(opts.file)
        if (not os.path.isabs(opts.file) and paths.to_guest(cwd) is not None
                and ".." not in relative.split(os.sep)):
            program_file = relative
        else:
            program_file = guest_file
    sys_path = _micropypath(paths, mounts)

    host_functions = dict(_load_host_function(spec) for spec in opts.host_functions)
    options: dict[str, Any] = {
        "timeout": opts.timeout, "fuel": opts.fuel, "max_output": opts.max_output,
        "mounts": mounts, "host_functions": host_functions, "image": opts.image,
    }
    if opts.memory_limit is not None:
        options["memory_limit"] = opts.memory_limit

    console = _Console()
    interactive = opts.inspect or (opts.command is None and opts.module is None and opts.file is None)
    with Sandbox(**options) as sandbox:
        sandbox._sink = console.write
        sandbox._source = console.read
        setup = []
        guest_cwd = paths.to_guest(cwd)
        if guest_cwd is not None:
            # (An image without the os module, such as the minimal variant, stays at "/".)
            setup.append(f"try:\n    __import__('os').chdir({guest_cwd!r})\nexcept ImportError:\n    pass")
        if sys_path is not None:
            setup.append(f"__import__('sys').path[1:] = {sys_path!r}")
        if setup:
            sandbox.run("\n".join(setup)).check()
        # (After the set-up code, which -v would otherwise show.)
        for option, value, flag in (
                (_runtime.OPTION_VERBOSE, opts.verbose, "-v"),
                (_runtime.OPTION_OPTIMISE, opts.optimise, "-O"),
                (_runtime.OPTION_COMPILE_ONLY, int(opts.compile_only), "-X compile-only")):
            if value and not sandbox._set_option(option, value):
                raise UsageError(f"{flag} is not supported by this image")

        command, module = opts.command, opts.module
        if command is not None:
            sandbox.set_argv(["-c", *opts.args])
            run: Callable[[], Any] = lambda: sandbox.run(command)  # noqa: E731
        elif module is not None:
            sandbox.set_argv([module, *opts.args])
            run = lambda: sandbox.run_module(module)  # noqa: E731
        elif program_file is not None:
            sandbox.set_argv([opts.file or "", *opts.args])
            run = lambda: sandbox.run_file(program_file)  # noqa: E731
        elif opts.file == "-" or not os.isatty(0):
            source = sys.stdin.buffer.read().decode("utf-8", "surrogateescape")
            sandbox._source = None  # stdin is the program
            sandbox.set_argv(["", *opts.args])
            run = lambda: sandbox.run(source)  # noqa: E731
            interactive = False
        else:
            run = None  # type: ignore[assignment]

        exit_code = 0
        if run is not None:
            result = _in_worker(sandbox, console, run)
            exit_code = result.exit_code
            if result.exit_code != 0 and result.exception is None and not opts.inspect:
                interactive = False  # sys.exit()
        if interactive and os.isatty(0):
            terminal = _Terminal.open()
            if terminal is not None and sandbox._set_option(_runtime.OPTION_CONSOLE_MODE, 1):
                # The guest switches the terminal (see _Terminal).
                console.terminal = terminal
                restore: Callable[[], None] | None = terminal.restore
            else:
                restore = _raw_tty()
                console.raw = restore is not None
            try:
                result = _in_worker(sandbox, console, sandbox.repl)
            finally:
                console.raw = False
                console.terminal = None
                if restore is not None:
                    restore()
            exit_code = result.exit_code
        # As `micropython` exits: the sys.atexit function, -v's statistics, finalisers.
        _in_worker(sandbox, console, sandbox._finish)
        return int(exit_code)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["build"]:  # micropython-wasi build ...: see _build.py
        from ._build import main as build_main

        return build_main(argv[1:])
    try:
        opts = parse_args(argv)
    except UsageError as exc:
        sys.stderr.write(f"micropython-wasi: {exc}\n(micropython-wasi --help for usage)\n")
        return 2
    if opts.help:
        sys.stdout.write(USAGE)
        return 0
    try:
        if opts.info:
            from ._build import info_main

            return info_main(opts.image)
        if opts.version:
            print(_version_text(opts.image))
            return 0
        return _execute(opts)
    except UsageError as exc:
        sys.stderr.write(f"micropython-wasi: {exc}\n")
        return 2
    except LimitExceeded as exc:
        sys.stdout.flush()
        sys.stderr.write(f"micropython-wasi: {exc}\n")
        return 1
    except SandboxError as exc:
        sys.stderr.write(f"micropython-wasi: {exc}\n")
        return 1 if not isinstance(exc, ValueError) else 2


if __name__ == "__main__":
    sys.exit(main())
