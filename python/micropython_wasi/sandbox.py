"""Sandbox: a resident MicroPython interpreter, and run() for one-off code."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

import wasmtime

from . import _abi, _engine, _last_value
from ._deterministic import World
from ._guest import INITIAL_HEAP, Guest, GuestFault, GuestTrap
from ._host import Host
from ._image import resolve_image
from ._imports import current_handler, serve
from ._options import (
    DEFAULT_MAX_OUTPUT, DEFAULT_MAX_PAYLOAD, DEFAULT_MEMORY_LIMIT, DEFAULT_TIMEOUT, HARD_GRACE_FACTOR,
    HARD_GRACE_MAX, HARD_GRACE_MIN, MAX_MEMORY_LIMIT, MEMORY_OVERHEAD, MEMORY_RESERVE, MIN_MEMORY_LIMIT,
    HostFunction, Mount, MountSpec, check_function_name, check_host_functions, check_mounts, check_snapshot_key,
    int_option, seconds_option, stdin_bytes,
)
from ._runtime import get_runtime
from ._sandbox_state import StateTransfer
from ._stops import InterpreterState, run_error, start_error
from .errors import (
    GuestCrash, LimitExceeded, MemoryLimitExceeded, MountError, OptionError, SandboxClosedError, SandboxError,
    TimeoutExceeded,
)
from .result import Result

# The options' defaults and bounds are defined in _options.py; they are
# importable from here as they always were.
__all__ = [
    "DEFAULT_MAX_OUTPUT", "DEFAULT_MAX_PAYLOAD", "DEFAULT_MEMORY_LIMIT", "DEFAULT_TIMEOUT",
    "HARD_GRACE_FACTOR", "HARD_GRACE_MAX", "HARD_GRACE_MIN", "MAX_MEMORY_LIMIT", "MEMORY_OVERHEAD",
    "MEMORY_RESERVE", "MIN_MEMORY_LIMIT", "HostFunction", "Mount", "MountSpec", "Sandbox", "run",
]


class Sandbox(StateTransfer):
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
        deterministic: a virtual clock and seeded randomness (clock= and random_seed= set them apart).
        snapshot_key: sign snapshots with HMAC-SHA256 and restore only snapshots signed with it.
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
        deterministic: bool = False,
        clock: float | None = None,
        random_seed: int | None = None,
        snapshot_key: bytes | None = None,
    ) -> None:
        self._memory_limit = int_option("memory_limit", memory_limit, MIN_MEMORY_LIMIT, MAX_MEMORY_LIMIT)
        self._fuel = None if fuel is None else int_option("fuel", fuel, 1, 2**63 - 1)
        self._timeout = seconds_option("timeout", timeout)
        self._max_output = None if max_output is None else int_option("max_output", max_output, 0)
        self._max_payload = int_option("max_payload", max_payload, 16, 2**31 - 1)
        self._mounts = check_mounts(mounts)
        self._host_functions: dict[str, HostFunction] = check_host_functions(host_functions)
        if image is not None and not isinstance(image, (str, os.PathLike)):
            raise OptionError(f"image must be a path to a .wasm file, got {type(image).__name__}")
        self._image_path = resolve_image(image)
        self._world = World.from_options(deterministic, clock, random_seed)
        self._snapshot_key = check_snapshot_key(snapshot_key)
        self._runtime = get_runtime(self._image_path, self.fuel is not None, self.timeout is not None,
                                    deterministic=self._world is not None)
        needed = self._runtime.initial_memory + INITIAL_HEAP + MEMORY_RESERVE
        if needed > self.memory_limit:
            raise OptionError(
                f"memory_limit={self.memory_limit} is too small for this image, which needs at least "
                f"{needed} bytes")

        self._lock = threading.Lock()
        self._guest: Guest | None = None
        # Not ALIVE until reset(): after a stopped run or a failed reset(), by `_state_cause` (an error's type).
        self._state = InterpreterState.ALIVE
        self._state_cause = ""
        self._closed = False
        # Serves the guest's imports during runs, with the state of the run.
        self._host = Host(self._host_functions, timeout=self._timeout, max_output=self._max_output,
                          max_payload=self._max_payload)
        self._host.world = self._world
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
        guest: Guest | None = None
        try:
            guest = Guest(self._runtime, self.memory_limit, self._wasi_config)
            if self._runtime.preinitialised:
                guest.set_heap_max(heap_max)
            elif guest.init(INITIAL_HEAP, heap_max) != 0:
                raise MemoryLimitExceeded(f"memory_limit={self.memory_limit} is too small to start the interpreter")
            for name in self._host_functions:
                self._register(guest, name)
            guest.started()
            self._guest = guest
        except BaseException as exc:
            if guest is not None:
                guest.close()
            if isinstance(exc, GuestFault):
                raise start_error(exc) from None
            raise

    def _register(self, guest: Guest, name: str) -> None:
        data = name.encode()
        if not guest.put(data) or guest.register(len(data)) != 0:
            raise MemoryLimitExceeded(f"no guest memory left to register host function {name!r}")
        self._host.longest_name = max(self._host.longest_name, len(data))

    def close(self) -> None:
        """Release the interpreter. Further runs raise SandboxClosedError.

        If another thread is running code in the Sandbox, that run is
        interrupted (KeyboardInterrupt) and the interpreter is released when
        it returns.
        """
        if self._lock.locked() and current_handler() is self._host:
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
            self._state = InterpreterState.ALIVE
            try:
                self._start()
            except BaseException as exc:
                self._state, self._state_cause = InterpreterState.RESET_FAILED, f"{type(exc).__name__}: {exc}"
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
        return not self._closed and self._state is InterpreterState.ALIVE

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else self._state.value
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
        name = check_function_name(name)
        guest = self._usable()
        if not self._lock.acquire(blocking=False):
            raise SandboxError("cannot register a host function while the Sandbox is running")
        try:
            self._register(guest, name)
        except GuestFault as trap:
            raise self._stopped(trap, time.perf_counter()) from None
        finally:
            self._unlock()
        self._host_functions[name] = fn
        return fn

    @property
    def host_functions(self) -> dict[str, HostFunction]:
        """The registered host functions (a copy)."""
        return dict(self._host_functions)

    def _adopt(self, guest: Guest) -> None:
        old, self._guest = self._guest, guest
        self._state = InterpreterState.ALIVE
        if old is not None:
            old.close()

    # -- running code -----------------------------------------------------

    def _usable(self) -> Guest:
        if self._closed:
            raise SandboxClosedError("the Sandbox is closed")
        if self._state is InterpreterState.STOPPED:
            raise SandboxClosedError(
                f"an earlier run was stopped ({self._state_cause}) and the interpreter's state is lost: "
                f"call reset() for a fresh interpreter, or create a new Sandbox")
        if self._state is InterpreterState.RESET_FAILED:
            raise SandboxClosedError(
                f"reset() failed ({self._state_cause}): call reset() again, or create a new Sandbox")
        if self._guest is None:
            raise SandboxClosedError("the Sandbox has no interpreter: call reset()")
        return self._guest

    def run(self, source: str, *, stdin: str | bytes | None = None, value: bool = False) -> Result:
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
        With `value=True`, Result.value holds the repr of the value of a final
        expression statement, as the REPL shows it (see _last_value.py).
        """
        if not isinstance(source, str):
            raise OptionError(f"source must be a str, got {type(source).__name__}")
        if value:  # the program rewritten to keep its last value, then a run that reads it
            rewritten = _last_value.rewrite(source)
            limit = _last_value.VALUE_LIMIT if self._max_output is None else min(
                _last_value.VALUE_LIMIT, self._max_output // 4 - 8)  # (4 bytes a character at most, the marker)
            if rewritten is not None and limit >= 1:
                return self._run(rewritten.encode("utf-8", "surrogatepass"), _abi.EXEC_SOURCE, stdin, limit)
        return self._run(source.encode("utf-8", "surrogatepass"), _abi.EXEC_SOURCE, stdin)

    def run_file(self, path: str, *, stdin: str | bytes | None = None) -> Result:
        """Execute a file the guest can see (through a mount), like `micropython FILE`."""
        if not isinstance(path, str):
            raise OptionError(f"path must be a str, got {type(path).__name__}")
        return self._run(path.encode(), _abi.EXEC_FILE, stdin)

    def run_module(self, name: str, *, stdin: str | bytes | None = None) -> Result:
        """Import a module as __main__, like `micropython -m MODULE`."""
        if not isinstance(name, str) or not all(p.isidentifier() for p in name.split(".")):
            raise OptionError(f"not a module name: {name!r}")
        return self._run(name.encode(), _abi.EXEC_MODULE, stdin)

    def repl(self) -> Result:
        """Run MicroPython's interactive REPL on the console (see the command line)."""
        return self._run(b"", _abi.EXEC_REPL, None)

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
        except GuestFault as trap:
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

    # -- runs -------------------------------------------------------------

    def _run(self, data: bytes, kind: int, stdin: str | bytes | None, value_limit: int | None = None) -> Result:
        guest = self._usable()
        if not self._lock.acquire(blocking=False):
            if current_handler() is self._host:
                raise SandboxError(
                    "re-entrant call: a host function cannot run code in the Sandbox that is calling it")
            raise SandboxError("the Sandbox is already running code in another thread")
        try:
            result = self._run_locked(guest, data, kind, stdin)
            if value_limit is None or not result.ok:
                return result
            try:  # the value the rewritten program kept (see _last_value.py)
                fetched = self._run_locked(guest, _last_value.fetch_source(value_limit).encode(), _abi.EXEC_SOURCE,
                                           None)
            except LimitExceeded:
                if self._state is not InterpreterState.ALIVE:
                    raise
                return result  # (a soft limit in the value's __repr__: no value)
            return result._with_value(_last_value.parse_fetched(fetched.stdout) if fetched.ok else None)
        finally:
            self._unlock()

    def _run_locked(self, guest: Guest, data: bytes, kind: int, stdin: str | bytes | None) -> Result:
        self._host.begin(guest, b"" if stdin is None else stdin_bytes(stdin))
        try:
            if not guest.put(data):
                raise MemoryLimitExceeded("no guest memory left for the source text")
        except GuestFault as trap:
            raise self._stopped(trap, time.perf_counter()) from None
        timeout = self._timeout
        timeout_ns = int(timeout * 1e9) if timeout is not None else 0
        status, started = self._call_guest(guest, guest.exec, len(data), kind, timeout_ns)
        result = self._result(status & _abi.STATUS_MASK, started)
        if self._fuel is not None:
            guest.set_fuel(_engine.UNMETERED_FUEL)  # (the fuel left is this run's, not the next calls')
        exception = result.exception
        # Only the port's report says a limit acted: the guest can raise any exception itself.
        if exception is not None:
            if exception.type == "KeyboardInterrupt" and status & _abi.LIMIT_TIMEOUT:
                raise TimeoutExceeded(self._host.timeout_message() + " and was interrupted", result)
            if exception.type == "MemoryError" and status & _abi.LIMIT_MEMORY:
                raise MemoryLimitExceeded(
                    f"the guest ran out of memory (memory_limit={self.memory_limit} bytes): "
                    f"{exception.message or 'MemoryError'}", result)
        return result

    def _call_guest(self, guest: Guest, call: Callable[..., Any], *args: Any) -> tuple[Any, float]:
        """Make a call into the guest, call(*args) (a run, or the exit), under this Sandbox's limits.

        The fuel, the hard time limit (an epoch deadline, with the ticker on),
        the host serving the guest's imports: set for the call and restored
        after it. Returns the call's result and when it started; a trap raises
        what _stopped() makes of it. The caller holds the lock and has begun
        the run's host state.
        """
        timeout, fuel, host = self._timeout, self._fuel, self._host
        try:
            if fuel is not None:
                guest.set_fuel(fuel)
            if guest.interrupt_word is None:
                guest.prepare_interrupt()
        except GuestTrap as trap:
            raise self._stopped(trap, time.perf_counter()) from None
        if timeout is not None:
            guest.set_deadline(_engine.deadline_ticks(timeout + host.grace))
            _engine.ticker.begin()
        started = time.perf_counter()
        if timeout is not None:
            host.start_clock(started)
        previous = serve(host)
        try:
            status = call(*args)
        except GuestTrap as trap:
            raise self._stopped(trap, started) from None
        finally:
            serve(previous)
            if timeout is not None:
                host.stop_clock()
                _engine.ticker.end()
                if guest.ctx is not None:  # (a stopped guest is closed already)
                    guest.set_deadline(_engine.NO_DEADLINE)
        return status, started

    def _result(self, status: int, started: float) -> Result:
        elapsed = time.perf_counter() - started
        fuel_used = None
        if self._fuel is not None and self._guest is not None:
            fuel_used = self._fuel - self._guest.get_fuel()
        return self._host.result(status, elapsed, fuel_used)

    def _stopped(self, trap: GuestFault, started: float) -> BaseException:
        """The exception for a run the host stopped; the interpreter cannot be used again."""
        host_error = self._host.take_error()
        if host_error is None and self._guest is not None:
            self._host.keep_leftover(self._guest)
        partial = self._result(1, started)
        error = run_error(trap, host_error, partial, fuel=self.fuel, max_output=self.max_output,
                          timeout_message=self._host.timeout_message)
        self._state, self._state_cause = InterpreterState.STOPPED, type(error).__name__
        if isinstance(error, LimitExceeded) or isinstance(error, GuestCrash):
            error.args = (f"{error.args[0]}; the interpreter's state is lost (call reset() to continue)",)
        guest, self._guest = self._guest, None
        if guest is not None:
            guest.close()
        return error


def run(source: str, *, stdin: str | bytes | None = None, value: bool = False, **options: Any) -> Result:
    """Run source in a fresh, isolated interpreter and return the Result.

    Takes the same options as Sandbox; raises as Sandbox.run() does.
    """
    sandbox = Sandbox(**options)
    try:
        return sandbox.run(source, stdin=stdin, value=value)
    finally:
        sandbox.close()

