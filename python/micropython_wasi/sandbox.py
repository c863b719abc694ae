"""Sandbox: a resident MicroPython interpreter, and run() for one-off code."""

from __future__ import annotations

import keyword
import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Union

import wasmtime

from . import _codec, _runtime
from ._image import resolve_image
from ._mount_checks import check_mount
from .errors import (
    FuelExhausted,
    GuestCrash,
    LimitExceeded,
    MemoryLimitExceeded,
    MountError,
    OptionError,
    OutputLimitExceeded,
    SandboxClosedError,
    SandboxError,
    TimeoutExceeded,
)
from .result import GuestException, Result, _Record

DEFAULT_MEMORY_LIMIT = 64 * 1024 * 1024
"""Default `memory_limit`: 64 MiB of guest memory."""
DEFAULT_TIMEOUT = 10.0
"""Default `timeout`: 10 seconds of wall-clock time per run."""
DEFAULT_MAX_OUTPUT = 1024 * 1024
"""Default `max_output`: 1 MiB of stdout and stderr per run."""
DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024
"""Default `max_payload`: 16 MiB of encoded arguments, or result, per host function call."""

# Guest memory that is not GC heap: the image's data, its C stack, libc's heap.
MEMORY_OVERHEAD = 2 * 1024 * 1024
# The GC heap grows while it leaves this much of memory_limit for libc's heap.
MEMORY_RESERVE = 1024 * 1024
MIN_MEMORY_LIMIT = MEMORY_OVERHEAD + _runtime.INITIAL_HEAP
MAX_MEMORY_LIMIT = 4 * 1024 * 1024 * 1024 - 65536

# After the soft timeout (KeyboardInterrupt in the guest), the guest gets this
# much longer to unwind before the hard limit stops it: HARD_GRACE_MIN seconds
# plus HARD_GRACE_FACTOR times the timeout, capped at HARD_GRACE_MAX.
HARD_GRACE_MIN = 0.1
HARD_GRACE_FACTOR = 0.1
HARD_GRACE_MAX = 2.0


class Mount(_Record):
    """A host directory made visible to the guest. Read-only unless `writable`."""

    __slots__ = ("host", "writable")
    _defaults = {"writable": False}

    host: str | os.PathLike[str]
    writable: bool

    def __init__(self, host: str | os.PathLike[str], writable: bool = False) -> None:
        super().__init__(host, writable)


MountSpec = Union[str, "os.PathLike[str]", Mount]
HostFunction = Callable[..., Any]


class _OutputOverflow(Exception):
    """Raised in the write import when the guest exceeds max_output."""


# -- option checking ------------------------------------------------------------


def _int_option(name: str, value: Any, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise OptionError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        limit = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise OptionError(f"{name} must be {limit}, got {value}")
    return value


def _seconds_option(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0 or value == float("inf"):
        raise OptionError(f"{name} must be a positive number of seconds, or None for no limit; got {value!r}")
    return float(value)


def _guest_path(path: Any) -> str:
    if not isinstance(path, str):
        raise MountError(f"a mount's guest path must be a str, got {type(path).__name__} {path!r}")
    if not path.startswith("/"):
        raise MountError(f"the guest path {path!r} must be absolute (start with '/'), e.g. '/data'")
    if "\0" in path:
        raise MountError(f"the guest path {path!r} contains a NUL character")
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise MountError(f"the guest path {path!r} must not contain '.' or '..' components")
    return "/" + "/".join(parts)


def _check_mounts(mounts: Mapping[str, MountSpec] | None) -> list[tuple[str, str, bool]]:
    """Validate mounts: [(guest path, real host directory, writable)]."""
    if mounts is None:
        return []
    if not isinstance(mounts, Mapping):
        raise MountError(
            f"mounts must be a mapping of guest path to host directory, e.g. {{'/data': '/srv/data'}}; "
            f"got {type(mounts).__name__}")
    checked: dict[str, tuple[str, str, bool]] = {}
    for guest, spec in mounts.items():
        guest_path = _guest_path(guest)
        if isinstance(spec, Mount):
            host, writable = spec.host, spec.writable
        elif isinstance(spec, (str, os.PathLike)):
            host, writable = spec, False
        else:
            raise MountError(
                f"mount {guest!r}: expected a host directory path or Mount(path, writable=...), "
                f"got {type(spec).__name__}")
        if not isinstance(writable, bool):
            raise MountError(f"mount {guest!r}: writable must be True or False, got {writable!r}")
        try:
            host_path = os.fspath(host)
        except TypeError:
            raise MountError(f"mount {guest!r}: the host path must be a str or path, got {host!r}") from None
        if not isinstance(host_path, str):
            raise MountError(f"mount {guest!r}: the host path must be a str, got {host_path!r}")
        real = os.path.realpath(host_path)
        if not os.path.isdir(real):
            what = "is not a directory" if os.path.exists(real) else "does not exist"
            raise MountError(f"mount {guest!r}: the host directory {host_path!r} {what}")
        if guest_path in checked:
            raise MountError(f"the guest path {guest_path!r} is mounted twice")
        check_mount(guest_path, real, writable)
        checked[guest_path] = (guest_path, real, writable)
    return list(checked.values())


def _check_function_name(name: Any) -> str:
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise OptionError(f"a host function name must be a Python identifier, got {name!r}")
    if name == "functions":
        raise OptionError("'functions' is reserved: host.functions() lists the host functions")
    return name


# MicroPython's built-in exception types (py/objexcept.c).
_GUEST_EXCEPTIONS = frozenset({
    "ArithmeticError", "AssertionError", "AttributeError", "EOFError", "Exception", "ImportError",
    "IndentationError", "IndexError", "KeyError", "LookupError", "MemoryError", "NameError",
    "NotImplementedError", "OSError", "OverflowError", "RuntimeError", "StopAsyncIteration", "StopIteration",
    "SyntaxError", "TypeError", "UnicodeError", "ValueError", "ZeroDivisionError",
})


def _guest_exception_name(exc: BaseException) -> tuple[str, str]:
    """The exception the guest raises for a host exception: the nearest built-in
    type the guest has, and a message (naming the host's type if that differs)."""
    message = str(exc)
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins" and cls.__name__ in _GUEST_EXCEPTIONS:
            if cls is not type(exc):
                message = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
            return cls.__name__, message
    return "RuntimeError", f"{type(exc).__name__}: {message}"


# -- the sandbox ----------------------------------------------------------------


class Sandbox:
    """A MicroPython interpreter that stays resident between runs.

    Globals, imported modules, functions and objects persist from one run() to
    the next. Use it as a context manager, or call close().

    Options:
        memory_limit: bytes of guest memory (linear memory: heap, stack, data).
        fuel: instructions a run may execute (wasm fuel), or None for no limit.
        timeout: wall-clock seconds a run may take, or None for no limit.
        max_output: bytes of stdout + stderr a run may write, or None for no limit.
        mounts: guest path -> host directory (read-only) or Mount(dir, writable=True).
        host_functions: name -> callable, callable from the guest.
        image: a custom interpreter image (.wasm); default: the bundled one.
        max_payload: bytes of encoded arguments, or of a result, per host function call.
    """

    def __init__(
        self,
        *,
        memory_limit: int = DEFAULT_MEMORY_LIMIT,
        fuel: int | None = None,
        timeout: float | None = DEFAULT_TIMEOUT,
        max_output: int | None = DEFAULT_MAX_OUTPUT,
        mounts: Mapping[str, MountSpec] | None = None,
        host_functions: Mapping[str, HostFunction] | None = None,
        image: str | os.PathLike[str] | None = None,
        max_payload: int = DEFAULT_MAX_PAYLOAD,
    ) -> None:
        self._memory_limit = _int_option("memory_limit", memory_limit, MIN_MEMORY_LIMIT, MAX_MEMORY_LIMIT)
        self._fuel = None if fuel is None else _int_option("fuel", fuel, 1, 2**63 - 1)
        self._timeout = _seconds_option("timeout", timeout)
        self._max_output = None if max_output is None else _int_option("max_output", max_output, 0)
        self._max_payload = _int_option("max_payload", max_payload, 16, 2**31 - 1)
        self._mounts = _check_mounts(mounts)
        if host_functions is not None and not isinstance(host_functions, Mapping):
            raise OptionError(f"host_functions must be a mapping of name to callable, got {type(host_functions).__name__}")
        self._host_functions: dict[str, HostFunction] = {}
        for name, fn in (host_functions or {}).items():
            if not callable(fn):
                raise OptionError(f"host function {name!r} is not callable: {fn!r}")
            self._host_functions[_check_function_name(name)] = fn
        if image is not None and not isinstance(image, (str, os.PathLike)):
            raise OptionError(f"image must be a path to a .wasm file, got {type(image).__name__}")
        self._image_path = resolve_image(image)
        self._runtime = _runtime.get_runtime(self._image_path, self.fuel is not None, self.timeout is not None)
        needed = self._runtime.initial_memory + _runtime.INITIAL_HEAP + MEMORY_RESERVE
        if needed > self.memory_limit:
            raise OptionError(
                f"memory_limit={self.memory_limit} is too small for this image, which needs at least "
                f"{needed} bytes")

        self._lock = threading.Lock()
        self._guest: _runtime.Guest | None = None
        self._dead: str | None = None
        self._closed = False
        # Per-run state, touched by the host imports.
        self._stdout: list[bytes] = []
        self._stderr: list[bytes] = []
        self._output_size = 0
        self._exception: GuestException | None = None
        self._stdin: bytes | memoryview = b""
        self._reply = b""
        self.host_error: BaseException | None = None
        # Time limits of the run in progress (time.perf_counter() values), for host calls.
        self._soft_deadline: float | None = None
        self._hard_deadline: float | None = None
        # (name, seconds) of a host call that began before the soft deadline and returned after it.
        self._overran: tuple[str, float] | None = None
        self._decode_deadline: float | None = None
        self._longest_name = 0  # bytes: a longer name in a call cannot be a host function's
        # Console hooks (the command line streams output and reads the terminal).
        self._sink: Callable[[int, bytes], None] | None = None
        self._source: Callable[[int], bytes] | None = None
        self._start()

    # The options are fixed when the Sandbox is made (they choose its engine).

    @property
    def memory_limit(self) -> int:
        """Bytes of guest memory."""
        return self._memory_limit

    @property
    def fuel(self) -> int | None:
        """Fuel per run, or None."""
        return self._fuel

    @property
    def timeout(self) -> float | None:
        """Wall-clock seconds per run, or None."""
        return self._timeout

    @property
    def max_output(self) -> int | None:
        """Bytes of stdout + stderr per run, or None."""
        return self._max_output

    @property
    def max_payload(self) -> int:
        """Bytes of encoded arguments, or of a result, per host function call."""
        return self._max_payload

    # -- life cycle -------------------------------------------------------

    def _wasi_config(self) -> wasmtime.WasiConfig:
        wasi = wasmtime.WasiConfig()
        for guest_path, host_path, writable in self._mounts:
            try:
                wasi.preopen_dir(host_path, guest_path, fs_mutable=writable)
            except wasmtime.WasmtimeError as exc:
                raise MountError(f"mount {guest_path!r}: cannot open {host_path!r}: {exc}") from None
        return wasi

    def _start(self) -> None:
        heap_max = self.memory_limit - MEMORY_RESERVE
        guest: _runtime.Guest | None = None
        try:
            guest = _runtime.Guest(self._runtime, self.memory_limit, self._wasi_config)
            if self._runtime.preinitialised:
                guest.set_heap_max(heap_max)
            elif guest.init(_runtime.INITIAL_HEAP, heap_max) != 0:
                raise MemoryLimitExceeded(f"memory_limit={self.memory_limit} is too small to start the interpreter")
            for name in self._host_functions:
                self._register(guest, name)
            guest.started()
            self._guest = guest
        except BaseException as exc:
            if guest is not None:
                guest.close()
            if isinstance(exc, _runtime.GuestTrap):
                if exc.code == wasmtime.TrapCode.INTERRUPT:
                    raise GuestCrash(
                        f"the interpreter failed to start: the image did not finish starting within "
                        f"{_runtime.STARTUP_TIMEOUT:g} s") from None
                if exc.code == wasmtime.TrapCode.OUT_OF_FUEL:
                    raise GuestCrash(
                        f"the interpreter failed to start: the image used more than {_runtime.STARTUP_FUEL} "
                        f"fuel starting") from None
                raise GuestCrash(f"the interpreter failed to start: {exc}") from None
            raise

    def _register(self, guest: _runtime.Guest, name: str) -> None:
        data = name.encode()
        if not guest.put(data) or guest.register(len(data)) != 0:
            raise MemoryLimitExceeded(f"no guest memory left to register host function {name!r}")
        self._longest_name = max(self._longest_name, len(data))

    def close(self) -> None:
        """Release the interpreter. Further runs raise SandboxClosedError.

        If another thread is running code in the Sandbox, that run is
        interrupted (KeyboardInterrupt) and the interpreter is released when
        it returns.
        """
        if self._lock.locked() and getattr(_runtime._current, "handler", None) is self:
            raise SandboxError("a host function cannot close the Sandbox that is calling it")
        self._closed = True
        if self._lock.acquire(blocking=False):
            try:
                self._release_guest()
            finally:
                self._lock.release()
        else:
            guest = self._guest
            if guest is not None:
                guest.request_interrupt()  # the thread that holds the lock releases it (see _unlock)

    def _unlock(self) -> None:
        """Release the lock; if close() came from another thread meanwhile, release the interpreter.

        close() sets `_closed` before it tries the lock, so either it gets the
        lock, or the holder sees `_closed` here after releasing it.
        """
        self._lock.release()
        if self._closed and self._guest is not None and self._lock.acquire(blocking=False):
            try:
                self._release_guest()
            finally:
                self._lock.release()

    def _release_guest(self) -> None:
        guest, self._guest = self._guest, None
        if guest is not None:
            guest.close()

    def reset(self) -> None:
        """Replace the interpreter with a fresh one (same options and host functions).

        This is how a Sandbox continues after a limit stopped a run and lost the
        interpreter's state (see run()).
        """
        if self._closed:
            raise SandboxClosedError("the Sandbox is closed")
        if not self._lock.acquire(blocking=False):
            raise SandboxError("the Sandbox is running; it cannot be reset from inside a run")
        try:
            if self._guest is not None:
                self._guest.close()
                self._guest = None
            self._dead = None
            try:
                self._start()
            except BaseException as exc:
                self._dead = f"reset() failed ({type(exc).__name__}: {exc}): call reset() again, or create a new Sandbox"
                raise
        finally:
            self._unlock()

    @property
    def closed(self) -> bool:
        """True once close() was called."""
        return self._closed

    @property
    def alive(self) -> bool:
        """True while the interpreter can run code (not closed, not stopped by a limit)."""
        return not self._closed and self._dead is None

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "stopped" if self._dead else "alive"
        return f"<Sandbox {state} memory_limit={self.memory_limit} timeout={self.timeout} fuel={self.fuel}>"

    # -- host functions ---------------------------------------------------

    def register_function(self, fn: HostFunction, name: str | None = None) -> HostFunction:
        """Make `fn` callable from the guest as `name` (default: fn.__name__), a builtin and `host.NAME`.

        Returns fn, so this can be used as a decorator.
        """
        if not callable(fn):
            raise OptionError(f"register_function needs a callable, got {fn!r}")
        if name is None:
            name = getattr(fn, "__name__", None)
            if not isinstance(name, str) or name == "<lambda>":
                raise OptionError("this callable has no usable __name__: pass name=...")
        name = _check_function_name(name)
        guest = self._usable()
        if not self._lock.acquire(blocking=False):
            raise SandboxError("cannot register a host function while the Sandbox is running")
        try:
            self._register(guest, name)
        except _runtime.GuestTrap as trap:
            raise self._stopped(trap, time.perf_counter()) from None
        finally:
            self._unlock()
        self._host_functions[name] = fn
        return fn

    @property
    def host_functions(self) -> dict[str, HostFunction]:
        """The registered host functions (a copy)."""
        return dict(self._host_functions)

    # -- running code -----------------------------------------------------

    def _usable(self) -> _runtime.Guest:
        if self._closed:
            raise SandboxClosedError("the Sandbox is closed")
        if self._dead is not None:
            raise SandboxClosedError(self._dead)
        if self._guest is None:
            raise SandboxClosedError("the Sandbox has no interpreter: call reset()")
        return self._guest

    def run(self, source: str, *, stdin: str | bytes | None = None) -> Result:
        """Execute Python source in this interpreter and return what happened.

        An uncaught guest exception is reported in Result.exception (use
        Result.check() to raise it as GuestError). A limit raises the matching
        LimitExceeded subclass, whose `.result` holds the output until then:
        after TimeoutExceeded from the soft timeout and after
        MemoryLimitExceeded the interpreter carries on with its state; after a
        hard stop (FuelExhausted, OutputLimitExceeded, TimeoutExceeded from
        the hard limit) its state is lost and further runs raise
        SandboxClosedError until reset() is called.

        `stdin` is what the guest reads from sys.stdin and input().
        """
        if not isinstance(source, str):
            raise OptionError(f"source must be a str, got {type(source).__name__}")
        return self._run(source.encode("utf-8", "surrogatepass"), _runtime.EXEC_SOURCE, stdin)

    def run_file(self, path: str, *, stdin: str | bytes | None = None) -> Result:
        """Execute a file the guest can see (through a mount), like `micropython FILE`."""
        if not isinstance(path, str):
            raise OptionError(f"path must be a str, got {type(path).__name__}")
        return self._run(path.encode(), _runtime.EXEC_FILE, stdin)

    def run_module(self, name: str, *, stdin: str | bytes | None = None) -> Result:
        """Import a module as __main__, like `micropython -m MODULE`."""
        if not isinstance(name, str) or not all(p.isidentifier() for p in name.split(".")):
            raise OptionError(f"not a module name: {name!r}")
        return self._run(name.encode(), _runtime.EXEC_MODULE, stdin)

    def repl(self) -> Result:
        """Run MicroPython's interactive REPL on the console (see the command line)."""
        return self._run(b"", _runtime.EXEC_REPL, None)

    def set_argv(self, argv: list[str]) -> None:
        """Set the guest's sys.argv."""
        if not isinstance(argv, (list, tuple)) or not all(isinstance(a, str) for a in argv):
            raise OptionError("argv must be a list of str")
        guest = self._usable()
        data = b"\0".join(arg.encode("utf-8", "surrogateescape") for arg in argv)
        if not self._lock.acquire(blocking=False):
            raise SandboxError("cannot set sys.argv while the Sandbox is running")
        try:
            if not guest.put(data):
                raise MemoryLimitExceeded("no guest memory left for sys.argv")
            guest.set_argv(len(data))
        except _runtime.GuestTrap as trap:
            raise self._stopped(trap, time.perf_counter()) from None
        finally:
            self._unlock()

    def interrupt(self) -> bool:
        """Raise KeyboardInterrupt in the running guest, from any thread.

        Returns False when nothing is running. The run then ends with a
        KeyboardInterrupt exception, unless the guest catches it.
        """
        guest = self._guest
        if guest is None or not self._lock.locked():
            return False
        return guest.request_interrupt()

    # -- for the command line -----------------------------------------------

    def _set_option(self, option: int, value: int) -> bool:
        """Set an interpreter option (_runtime.OPTION_*: -v, -O, -X compile-only).

        Returns False when the image does not have the option.
        """
        guest = self._usable()
        try:
            return guest.set_option(option, value)
        except _runtime.GuestTrap as trap:
            raise self._stopped(trap, time.perf_counter()) from None

    def _finish(self) -> None:
        """End the interpreter as the `micropython` command does when it exits.

        Runs the function registered with sys.atexit() (its output goes where a
        run's does), prints memory statistics after -v, runs finalisers, then
        closes the Sandbox.
        """
        guest = self._usable()
        if not self._lock.acquire(blocking=False):
            raise SandboxError("the Sandbox is running code; it cannot finish now")
        try:
            self._stdout = []
            self._stderr = []
            self._output_size = 0
            self._exception = None
            self._stdin = b""
            self.host_error = None
            local = _runtime._current
            previous = getattr(local, "handler", None)
            local.handler = self
            timeout = self.timeout
            self._overran = None
            if timeout is not None:
                guest.set_deadline(_runtime.deadline_ticks(timeout + self._grace()))
                _runtime.ticker.begin()
            try:
                if self.fuel is not None:
                    guest.set_fuel(self.fuel)
                guest.deinit()
            except _runtime.GuestTrap as trap:
                raise self._stopped(trap, time.perf_counter()) from None
            finally:
                local.handler = previous
                if timeout is not None:
                    _runtime.ticker.end()
        finally:
            self._unlock()
            self.close()

    def _run(self, data: bytes, kind: int, stdin: str | bytes | None) -> Result:
        guest = self._usable()
        if not self._lock.acquire(blocking=False):
            if getattr(_runtime._current, "handler", None) is self:
                raise SandboxError(
                    "re-entrant call: a host function cannot run code in the Sandbox that is calling it")
            raise SandboxError("the Sandbox is already running code in another thread")
        try:
            return self._run_locked(guest, data, kind, stdin)
        finally:
            self._unlock()

    def _run_locked(self, guest: _runtime.Guest, data: bytes, kind: int, stdin: str | bytes | None) -> Result:
        self._stdout = []
        self._stderr = []
        self._output_size = 0
        self._exception = None
        self.host_error = None
        if stdin is None:
            self._stdin = b""
        elif isinstance(stdin, str):
            self._stdin = stdin.encode()
        elif isinstance(stdin, (bytes, bytearray)):
            self._stdin = bytes(stdin)
        else:
            raise OptionError(f"stdin must be str or bytes, got {type(stdin).__name__}")
        timeout = self.timeout
        fuel = self.fuel
        try:
            if not guest.put(data):
                raise MemoryLimitExceeded("no guest memory left for the source text")
            if fuel is not None:
                guest.set_fuel(fuel)
            if guest.interrupt_word is None:
                guest.prepare_interrupt()
        except _runtime.GuestTrap as trap:
            raise self._stopped(trap, time.perf_counter()) from None
        local = _runtime._current
        previous = getattr(local, "handler", None)
        local.handler = self
        self._overran = None
        if timeout is not None:
            grace = self._grace()
            guest.set_deadline(_runtime.deadline_ticks(timeout + grace))
            _runtime.ticker.begin()
        started = time.perf_counter()
        if timeout is not None:
            self._soft_deadline = started + timeout
            self._hard_deadline = started + timeout + grace
        try:
            status = guest.exec(len(data), kind, int(timeout * 1e9) if timeout is not None else 0)
        except _runtime.GuestTrap as trap:
            raise self._stopped(trap, started) from None
        finally:
            local.handler = previous
            self._soft_deadline = self._hard_deadline = None
            if timeout is not None:
                _runtime.ticker.end()
                if guest.ctx is not None:  # (a stopped guest is closed already)
                    guest.set_deadline(_runtime.NO_DEADLINE)
        result = self._result(status & _runtime.STATUS_MASK, started)
        if fuel is not None:
            guest.set_fuel(_runtime.UNMETERED_FUEL)  # (the fuel left is this run's, not the next calls')
        exception = result.exception
        # Only the port's report says a limit acted: the guest can raise any exception itself.
        if exception is not None:
            if exception.type == "KeyboardInterrupt" and status & _runtime.LIMIT_TIMEOUT:
                assert timeout is not None
                raise TimeoutExceeded(self._timeout_message(timeout) + " and was interrupted", result)
            if exception.type == "MemoryError" and status & _runtime.LIMIT_MEMORY:
                raise MemoryLimitExceeded(
                    f"the guest ran out of memory (memory_limit={self.memory_limit} bytes): "
                    f"{exception.message or 'MemoryError'}", result)
        return result

    def _grace(self) -> float:
        """Seconds between the soft and the hard time limit."""
        assert self.timeout is not None
        return min(HARD_GRACE_MAX, HARD_GRACE_MIN + HARD_GRACE_FACTOR * self.timeout)

    def _timeout_message(self, timeout: float) -> str:
        overran = self._overran
        if overran is None:
            return f"the run exceeded its timeout of {timeout:g} s"
        name, seconds = overran
        return (f"the run exceeded its timeout of {timeout:g} s while host function {name!r} ran "
                f"(it took {seconds:.2f} s and returned after the deadline)")

    def _result(self, status: int, started: float) -> Result:
        elapsed = time.perf_counter() - started
        fuel_used = None
        if self.fuel is not None and self._guest is not None:
            fuel_used = self.fuel - self._guest.get_fuel()
        if status & _runtime.EXIT_FLAG:
            exit_code = status & 0xFF
        else:
            exit_code = 1 if status else 0
        return Result(
            stdout=b"".join(self._stdout).decode("utf-8", "replace"),
            stderr=b"".join(self._stderr).decode("utf-8", "replace"),
            exception=self._exception if status == 1 else None,
            exit_code=exit_code,
            fuel_consumed=fuel_used,
            elapsed=elapsed,
        )

    def _stopped(self, trap: _runtime.GuestTrap, started: float) -> BaseException:
        """The exception for a run the host stopped; the interpreter cannot be used again."""
        host_error, self.host_error = self.host_error, None
        if host_error is None and self._guest is not None:
            # Output the guest had written but not yet flushed.
            try:
                leftover = self._guest.console_leftover()
            except _runtime.GuestTrap:
                leftover = None
            if leftover is not None:
                try:
                    self._keep_output(*leftover)
                except _OutputOverflow:
                    pass
        partial = self._result(1, started)
        code = trap.code
        error: BaseException
        if isinstance(host_error, _OutputOverflow):
            error = OutputLimitExceeded(
                f"the guest wrote more than max_output={self.max_output} bytes to stdout and stderr", partial)
        elif host_error is not None and not isinstance(host_error, Exception):
            error = host_error  # KeyboardInterrupt or SystemExit in a host function: pass it on
        elif host_error is not None:
            error = GuestCrash(f"the host failed while serving the guest: {host_error!r}")
            error.__cause__ = host_error
        elif code == wasmtime.TrapCode.OUT_OF_FUEL:
            error = FuelExhausted(f"the run used all of its fuel ({self.fuel})", partial)
        elif code == wasmtime.TrapCode.INTERRUPT:
            assert self.timeout is not None
            error = TimeoutExceeded(
                f"{self._timeout_message(self.timeout)} and did not stop when interrupted, "
                f"so it was killed", partial)
        elif code == wasmtime.TrapCode.STACK_OVERFLOW:
            error = GuestCrash("the interpreter overflowed the wasm stack")
        elif trap.exit_status is not None:
            error = GuestCrash(f"the interpreter aborted (exit status {trap.exit_status})")
        else:
            error = GuestCrash(f"the interpreter trapped: {_trap_reason(trap)}")
        kind = type(error).__name__
        self._dead = (f"an earlier run was stopped ({kind}) and the interpreter's state is lost: "
                      f"call reset() for a fresh interpreter, or create a new Sandbox")
        if isinstance(error, LimitExceeded) or isinstance(error, GuestCrash):
            error.args = (f"{error.args[0]}; the interpreter's state is lost (call reset() to continue)",)
        guest, self._guest = self._guest, None
        if guest is not None:
            guest.close()
        return error

    # -- host imports (called by the guest while it runs) -------------------

    def host_write(self, ctx: Any, stream: int, ptr: int, length: int) -> None:
        guest = self._guest
        assert guest is not None
        data = guest.read_memory(ptr, length, ctx)
        if stream == _runtime.STREAM_CONSOLE_MODE:
            # Not output: the REPL's terminal mode, for the command line.
            if self._sink is not None:
                self._sink(stream, data)
            return
        self._keep_output(stream, data)

    def _keep_output(self, stream: int, data: bytes) -> None:
        """Record (and stream) output; past max_output keep what fits and raise _OutputOverflow."""
        limit = self.max_output
        overflow = limit is not None and self._output_size + len(data) > limit
        if overflow:
            assert limit is not None
            data = data[:max(0, limit - self._output_size)]
        self._output_size += len(data)
        if data:
            (self._stderr if stream == 2 else self._stdout).append(data)
            if self._sink is not None:
                self._sink(stream, data)
        if overflow:
            raise _OutputOverflow()

    def host_read(self, ctx: Any, ptr: int, length: int) -> int:
        guest = self._guest
        assert guest is not None
        if self._source is not None:
            data = self._source(length)[:length]
        else:
            # A view, so that reading a large stdin in small pieces costs the
            # host linear time, not quadratic.
            stdin = self._stdin if isinstance(self._stdin, memoryview) else memoryview(self._stdin)
            data, self._stdin = bytes(stdin[:length]), stdin[length:]
        if data:
            guest.write_memory(ptr, data, ctx)
        return len(data)

    def host_call(self, ctx: Any, name_ptr: int, name_len: int, ptr: int, length: int) -> int:
        guest = self._guest
        assert guest is not None
        soft = self._soft_deadline
        begun = time.perf_counter()
        if name_len > self._longest_name:
            # Longer than every registered name: read no more than a preview for the message.
            preview = guest.read_memory(name_ptr, min(name_len, 40), ctx).decode("utf-8", "replace")
            reply = self._error_reply("NameError", f"no host function named {preview!r}... ({name_len} bytes)")
            name = ""
        else:
            name = guest.read_memory(name_ptr, name_len, ctx).decode("utf-8", "replace")
            fn = self._host_functions.get(name)
            if fn is None:
                reply = self._error_reply("NameError", f"no host function named {name!r}")
            elif length > self.max_payload:
                reply = self._error_reply(
                    "ValueError",
                    f"the arguments to host function {name!r} take {length} bytes, more than the limit of "
                    f"{self.max_payload} (max_payload)")
            else:
                # Decoding stops at the deadline the guest is under: the soft one, or the hard one once
                # that has passed (then the guest is stopped as the call returns).
                self._decode_deadline = None if soft is None else soft if begun < soft else self._hard_deadline
                reply = self._call_host_function(name, fn, guest.read_memory(ptr, length, ctx))
        if soft is not None and begun < soft:
            now = time.perf_counter()
            if now >= soft:
                # The call ran past the soft deadline: the guest gets its KeyboardInterrupt as the
                # call returns (see modhost.c), and the hard limit counts from now. (Calls made
                # after the soft deadline do not move it.)
                grace = self._grace()
                self._hard_deadline = now + grace
                guest.set_deadline(_runtime.deadline_ticks(grace), ctx)
                self._overran = (name or "?", now - begun)
        self._reply = reply
        return len(reply)

    def _error_reply(self, type_name: str, message: str) -> bytes:
        """An error reply, its message cut to fit max_payload."""
        message = message.encode("utf-8", "backslashreplace").decode("utf-8")
        reply = _codec.encode_error(type_name, message)
        if len(reply) > self.max_payload:
            room = self.max_payload - len(_codec.encode_error(type_name, "..."))
            cut = message.encode()[:max(0, room)].decode("utf-8", "ignore")
            reply = _codec.encode_error(type_name, cut + "..." if room > 0 else "")
        return reply

    def _call_host_function(self, name: str, fn: HostFunction, payload: bytes) -> bytes:
        try:
            args, kwargs = _codec.decode_call(payload, self._decode_deadline)
        except _codec.DeadlineExceeded as exc:
            return self._error_reply("RuntimeError", f"cannot call host function {name!r}: {exc}")
        except _codec.CodecError as exc:
            return self._error_reply("TypeError", f"cannot pass these arguments to host function {name!r}: {exc}")
        try:
            value = fn(*args, **kwargs)
        except Exception as exc:
            type_name, message = _guest_exception_name(exc)
            return self._error_reply(type_name, message)
        try:
            reply = _codec.encode_reply(value)
        except _codec.CodecError as exc:
            return self._error_reply("TypeError", f"host function {name!r} returned {exc}")
        if len(reply) > self.max_payload:
            return self._error_reply(
                "ValueError",
                f"the result of host function {name!r} takes {len(reply)} bytes, more than the limit of "
                f"{self.max_payload} (max_payload)")
        return reply

    def host_reply(self, ctx: Any, ptr: int, length: int) -> None:
        guest = self._guest
        assert guest is not None
        reply, self._reply = self._reply, b""
        guest.write_memory(ptr, reply[:length], ctx)

    def host_exception(self, ctx: Any, ptr: int, length: int) -> None:
        guest = self._guest
        assert guest is not None
        raw = guest.read_memory(ptr, length, ctx).decode("utf-8", "replace")
        type_name, _, rest = raw.partition("\0")
        message, _, traceback = rest.partition("\0")
        self._exception = GuestException(type_name, message, traceback)


def _trap_reason(trap: _runtime.GuestTrap) -> str:
    """A trap's code and reason, without wasmtime's backtrace lines."""
    text = str(trap)
    lines = [line.strip() for line in text.splitlines()]
    reason = next((line for line in reversed(lines) if line and not line.startswith(("0:", "error while executing"))
                   and "wasm backtrace" not in line and not line[:1].isdigit()), "")
    code = trap.code
    parts = [f"trap code {code.name}" if code is not None else "", reason or (lines[0] if lines else "")]
    return ": ".join(p for p in parts if p) or "unknown trap"


def run(source: str, *, stdin: str | bytes | None = None, **options: Any) -> Result:
    """Run source in a fresh, isolated interpreter and return the Result.

    Takes the same options as Sandbox; raises as Sandbox.run() does.
    """
    sandbox = Sandbox(**options)
    try:
        return sandbox.run(source, stdin=stdin)
    finally:
        sandbox.close()

