"""The micropython-wasi command line: its grammar (as `micropython`'s), sizes and mounts."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any

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
micropython-wasi mcp --help: serve the sandbox as a Model Context Protocol tool.
micropython-wasi image --help: write an image that starts with packages imported and setup run.
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
        from ._options import MEMORY_OVERHEAD, MIN_MEMORY_LIMIT

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


class PathMap:
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


def load_host_function(name: str, target: Any, what: str) -> Callable[..., Any]:
    """MODULE:ATTR -> the callable it names."""
    module_name, colon, attr = str(target).partition(":")
    if not isinstance(target, str) or not colon or not module_name or not attr:
        raise UsageError(f"{what} {name!r}: expected MODULE:ATTR, e.g. time:time; got {target!r}")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise UsageError(f"{what} {name!r}: cannot load {target}: {exc}") from None
    if not callable(obj):
        raise UsageError(f"{what} {name!r}: {target} is not callable")
    return obj  # type: ignore[no-any-return]
