"""Sandbox: a resident MicroPython interpreter, and run() for one-off code."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import wasmtime

from . import _runtime
from ._image import resolve_image
from .errors import (
    FuelExhausted,
    GuestCrash,
    MemoryLimitExceeded,
    OptionError,
    OutputLimitExceeded,
    SandboxClosedError,
    SandboxError,
    TimeoutExceeded,
)
from .result import GuestException, Result

DEFAULT_MEMORY_LIMIT = 64 * 1024 * 1024
DEFAULT_MAX_OUTPUT = 1024 * 1024
# Guest memory that is not GC heap: the image's data, its C stack, libc's heap.
MEMORY_OVERHEAD = 2 * 1024 * 1024
INITIAL_HEAP = 256 * 1024
MIN_MEMORY_LIMIT = MEMORY_OVERHEAD + INITIAL_HEAP

_I32 = wasmtime.ValType.i32()
_local = threading.local()


def _current() -> Sandbox:
    """The Sandbox whose guest code is calling into the host on this thread."""
    return _local.sandbox


class _HostTrap(Exception):
    """Raised inside a host import to stop the guest (a wasm trap)."""


def _host_write(caller: wasmtime.Caller, stream: int, ptr: int, length: int) -> None:
    _current()._on_write(caller, stream, ptr, length)


def _host_read(caller: wasmtime.Caller, ptr: int, length: int) -> int:
    return _current()._on_read(caller, ptr, length)


def _host_call(caller: wasmtime.Caller, name_ptr: int, name_len: int, ptr: int, length: int) -> int:
    return _current()._on_call(caller, name_ptr, name_len, ptr, length)


def _host_reply(caller: wasmtime.Caller, ptr: int, length: int) -> None:
    _current()._on_reply(caller, ptr, length)


def _host_exception(caller: wasmtime.Caller, ptr: int, length: int) -> None:
    _current()._on_exception(caller, ptr, length)


HOST_IMPORTS: dict[str, tuple[wasmtime.FuncType, Callable[..., Any]]] = {
    "write": (wasmtime.FuncType([_I32, _I32, _I32], []), _host_write),
    "read": (wasmtime.FuncType([_I32, _I32], [_I32]), _host_read),
    "call": (wasmtime.FuncType([_I32, _I32, _I32, _I32], [_I32]), _host_call),
    "reply": (wasmtime.FuncType([_I32, _I32], []), _host_reply),
    "exception": (wasmtime.FuncType([_I32, _I32], []), _host_exception),
}


def _positive_int(name: str, value: Any, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise OptionError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return value


class Sandbox:
    """A MicroPython interpreter that stays resident between runs.

    Globals, imported modules and objects persist from one run() to the next.
    Use it as a context manager, or call close().
    """

    def __init__(
        self,
        *,
        memory_limit: int = DEFAULT_MEMORY_LIMIT,
        fuel: int | None = None,
        timeout: float | None = None,
        max_output: int = DEFAULT_MAX_OUTPUT,
        image: str | os.PathLike[str] | None = None,
    ) -> None:
        self.memory_limit = _positive_int("memory_limit", memory_limit, MIN_MEMORY_LIMIT)
        self.fuel = None if fuel is None else _positive_int("fuel", fuel)
        if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0):
            raise OptionError(f"timeout must be a positive number of seconds or None, got {timeout!r}")
        self.timeout = timeout
        self.max_output = _positive_int("max_output", max_output, 0)
        self._image_path = resolve_image(image)
        self._runtime = _runtime.get_runtime(self._image_path, self.fuel is not None, HOST_IMPORTS)
        self._dead: str | None = None
        self._stdout: list[bytes] = []
        self._stderr: list[bytes] = []
        self._output_size = 0
        self._exception: GuestException | None = None
        self._start()

    # -- life cycle -------------------------------------------------------

    def _start(self) -> None:
        store = wasmtime.Store(self._runtime.engine)
        store.set_limits(memory_size=self.memory_limit)
        store.set_wasi(wasmtime.WasiConfig())
        if self._runtime.fuel:
            store.set_fuel(2**63 - 1)
        store.set_epoch_deadline(2**62)
        self._store = store
        instance = self._runtime.instance_pre.instantiate(store)
        exports = instance.exports(store)
        self._instance_exports = exports
        self._memory: wasmtime.Memory = exports["memory"]
        self._buffer = exports["mpw_buffer"]
        self._exec = exports["mpw_exec"]
        exports["_initialize"](store)
        heap_max = self.memory_limit - MEMORY_OVERHEAD
        if exports["mpw_init"](store, min(INITIAL_HEAP, heap_max), heap_max) != 0:
            raise MemoryLimitExceeded(f"memory_limit={self.memory_limit} is too small to start the interpreter")

    def close(self) -> None:
        """Release the interpreter. Further runs raise SandboxClosedError."""
        if self._dead is None:
            self._dead = "the Sandbox is closed"
        self._store = None  # type: ignore[assignment]

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- running code -----------------------------------------------------

    def run(self, source: str) -> Result:
        """Execute Python source in this interpreter and return what happened."""
        if not isinstance(source, str):
            raise OptionError(f"source must be a str, got {type(source).__name__}")
        return self._run(source.encode(), _runtime.EXEC_SOURCE)

    def run_file(self, path: str) -> Result:
        """Execute a file that the guest can see (through a mount), like `micropython FILE`."""
        return self._run(path.encode(), _runtime.EXEC_FILE)

    def run_module(self, name: str) -> Result:
        """Import a module as __main__, like `micropython -m MODULE`."""
        return self._run(name.encode(), _runtime.EXEC_MODULE)

    def set_argv(self, argv: list[str]) -> None:
        """Set the guest's sys.argv."""
        if self._dead is not None:
            raise SandboxClosedError(self._dead)
        data = b"\0".join(arg.encode() for arg in argv)
        ptr = self._buffer(self._store, len(data))
        self._memory.write(self._store, data, ptr)
        self._instance_exports["mpw_set_argv"](self._store, len(data))

    def _run(self, data: bytes, kind: int) -> Result:
        if self._dead is not None:
            raise SandboxClosedError(self._dead)
        store = self._store
        self._stdout.clear()
        self._stderr.clear()
        self._output_size = 0
        self._exception = None
        ptr = self._buffer(store, len(data))
        if ptr == 0:
            raise MemoryLimitExceeded("no guest memory left for the source text", None)
        self._memory.write(store, data, ptr)
        if self._runtime.fuel:
            store.set_fuel(self.fuel)
        timeout_ns = int(self.timeout * 1e9) if self.timeout else 0
        previous = getattr(_local, "sandbox", None)
        _local.sandbox = self
        started = time.perf_counter()
        try:
            status = self._exec(store, len(data), kind, timeout_ns)
        except wasmtime.Trap as trap:
            raise self._trap_error(trap, started) from None
        except wasmtime.WasmtimeError as exc:
            raise self._trap_error(exc, started) from None
        finally:
            _local.sandbox = previous
        result = self._result(status, started)
        if self.timeout and result.exception and result.exception.type == "KeyboardInterrupt":
            raise TimeoutExceeded(f"the run exceeded its timeout of {self.timeout} s", result)
        return result

    def _result(self, status: int, started: float) -> Result:
        fuel_used = None
        if self._runtime.fuel and self.fuel is not None:
            fuel_used = self.fuel - self._store.get_fuel()
        exit_code = status & 0xFF if status & _runtime.EXIT_FLAG else status
        return Result(
            stdout=b"".join(self._stdout).decode("utf-8", "replace"),
            stderr=b"".join(self._stderr).decode("utf-8", "replace"),
            exception=self._exception if status == 1 else None,
            exit_code=exit_code,
            fuel_consumed=fuel_used,
            elapsed=time.perf_counter() - started,
        )

    def _trap_error(self, trap: Exception, started: float) -> SandboxError:
        """Map a trap to the limit that caused it; the interpreter is unusable afterwards."""
        partial = self._result(1, started)
        message = str(trap)
        if isinstance(trap.__cause__, _HostTrap) or "_HostTrap" in message:
            error: SandboxError = OutputLimitExceeded(
                f"the guest wrote more than max_output={self.max_output} bytes", partial)
        elif "all fuel consumed" in message or "fuel" in message and "consumed" in message:
            error = FuelExhausted(f"the run used all of its fuel ({self.fuel})", partial)
        elif "interrupt" in message:
            error = TimeoutExceeded(f"the run exceeded its timeout of {self.timeout} s", partial)
        else:
            error = GuestCrash(f"the interpreter trapped: {message.splitlines()[-1] if message else trap!r}")
        self._dead = f"an earlier run ended this Sandbox ({type(error).__name__}); create a new one"
        return error

    # -- host imports -----------------------------------------------------

    def _on_write(self, caller: wasmtime.Caller, stream: int, ptr: int, length: int) -> None:
        self._output_size += length
        if self._output_size > self.max_output:
            raise _HostTrap("output limit")
        data = self._memory.read(caller, ptr, ptr + length)
        (self._stderr if stream == 2 else self._stdout).append(bytes(data))

    def _on_read(self, caller: wasmtime.Caller, ptr: int, length: int) -> int:
        return 0

    def _on_call(self, caller: wasmtime.Caller, name_ptr: int, name_len: int, ptr: int, length: int) -> int:
        return -1

    def _on_reply(self, caller: wasmtime.Caller, ptr: int, length: int) -> None:
        pass

    def _on_exception(self, caller: wasmtime.Caller, ptr: int, length: int) -> None:
        raw = bytes(self._memory.read(caller, ptr, ptr + length)).decode("utf-8", "replace")
        type_name, _, rest = raw.partition("\0")
        message, _, traceback = rest.partition("\0")
        self._exception = GuestException(type_name, message, traceback)


def run(source: str, **options: Any) -> Result:
    """Run source in a fresh, isolated interpreter and return the Result."""
    with Sandbox(**options) as sandbox:
        return sandbox.run(source)
