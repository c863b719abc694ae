"""Guest: one interpreter, an instance of a compiled image in a store of its own."""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable
from ctypes import byref
from typing import TYPE_CHECKING, Any

import wasmtime

from . import _abi, _engine, _wasmtime_private as _wp
from .errors import ImageError, SandboxClosedError

if TYPE_CHECKING:
    from ._runtime import Runtime

INITIAL_HEAP = 256 * 1024
"""The GC heap an interpreter starts with; it grows in further areas on demand."""


class GuestFault(Exception):
    """The guest cannot go on: wasmtime stopped it (GuestTrap), or the host refused what it passed
    (GuestBufferError)."""


class GuestTrap(GuestFault):
    """wasmtime stopped the guest: a wasm trap, a WASI exit, or an instantiation it refused."""

    def __init__(self, message: str, code: wasmtime.TrapCode | None = None, exit_status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.exit_status = exit_status


class GuestBufferError(GuestFault):
    """The guest handed the host a buffer outside its memory: the host's check refused it (no trap)."""


_ARGS = 4
_WASM_PAGE = 65536
_MASK32 = 0xFFFFFFFF
_call_unchecked = _wp.call_unchecked
_export_get = _wp.instance_export_get
_memory_data = _wp.memory_data
_memory_data_size = _wp.memory_data_size
_set_fuel = _wp.set_fuel
_get_fuel = _wp.get_fuel
_set_epoch_deadline = _wp.set_epoch_deadline
_string_at = ctypes.string_at
_memmove = ctypes.memmove
_addressof = ctypes.addressof


class Guest:
    """One interpreter: an instance of the image in a Store of its own.

    Its calls to the host go to the handler serving it (see _imports.py).
    """

    def __init__(self, runtime: Runtime, memory_limit: int, wasi: wasmtime.WasiConfig | Callable[[], wasmtime.WasiConfig],
                 initialise: bool = True) -> None:
        # Held while the store is freed and while request_interrupt() writes
        # into its memory (from another thread): neither may overlap the other.
        self._interrupt_lock = threading.Lock()
        self._starting = False
        self.interrupt_word: int | None = None
        self._args = (_wp.ValRaw * _ARGS)()
        self._trap = _wp.trap_pointer()
        self._trap_ref = byref(self._trap)
        try:
            self._instantiate(runtime, memory_limit, wasi() if callable(wasi) else wasi)
        except GuestTrap as exc:
            if not (runtime.pooled and "concurrent" in str(exc)):
                raise
            # The instance pool is full: allocate this one on demand.
            runtime = runtime.overflow()
            self._instantiate(runtime, memory_limit, wasi() if callable(wasi) else wasi)
        self._interrupt_address: int | None = None
        self.console_address: int | None = None
        try:
            self.memory = self._export(b"memory").of.memory
            self._memory_ref = byref(self.memory)
            self._f_buffer = self._func(b"mpw_buffer")
            self._f_exec = self._func(b"mpw_exec")
            if initialise and not runtime.preinitialised:
                self.initialise()
        except BaseException:
            self.close()
            raise

    def _instantiate(self, runtime: Runtime, memory_limit: int, wasi: wasmtime.WasiConfig) -> None:
        store = wasmtime.Store(runtime.engine)
        store.set_limits(memory_size=memory_limit, instances=1, tables=1, memories=1)
        store.set_wasi(wasi)
        self.runtime = runtime
        self.store = store
        self.ctx: Any = _wp.store_context(store)
        # Bounded until started() (see _engine.STARTUP_TIMEOUT).
        _set_epoch_deadline(self.ctx, _engine.deadline_ticks(_engine.STARTUP_TIMEOUT) if runtime.epoch
                            else _engine.NO_DEADLINE)
        if runtime.fuel:
            _set_fuel(self.ctx, _engine.STARTUP_FUEL)
        if runtime.epoch and not self._starting:
            self._starting = True
            _engine.ticker.begin()
        instance = _wp.Instance()
        error = _wp.instantiate(runtime.instance_pre, self.ctx, instance, self._trap_ref)
        if error or self._trap:
            self.close()
            raise self._failure(error)
        self._instance = instance

    def started(self) -> None:
        """The interpreter has started: lift the start-up bounds (runs set their own)."""
        self._stop_ticking()
        if self.ctx is not None:
            _set_epoch_deadline(self.ctx, _engine.NO_DEADLINE)
            if self.runtime.fuel:
                _set_fuel(self.ctx, _engine.UNMETERED_FUEL)

    def _stop_ticking(self) -> None:
        if self._starting:
            self._starting = False
            _engine.ticker.end()

    def _export(self, name: bytes) -> Any:
        item = _wp.Extern()
        if not _export_get(self.ctx, byref(self._instance), name, len(name), byref(item)):
            return None
        return item

    def _func(self, name: bytes, required: bool = True) -> Any:
        item = self._export(name)
        if item is None or item.kind != _wp.EXTERN_FUNC:
            if required:
                raise ImageError(f"{self.runtime.image_path} does not export {name.decode()}()")
            return None
        return byref(item.of.func)  # the byref object keeps the struct alive

    def _failure(self, error: Any) -> GuestTrap:
        trap = self._trap
        self._trap = _wp.trap_pointer()
        self._trap_ref = byref(self._trap)
        message, code, exit_status = _wp.take_trap(trap, error)
        return GuestTrap(message, code, exit_status)

    def _call(self, func: Any, nargs: int) -> Any:
        """Call an export whose `nargs` arguments are in self._args; its result replaces args[0].

        (wasmtime requires the array to hold max(params, results) values: it holds 4.)
        """
        ctx = self.ctx
        if ctx is None:
            raise SandboxClosedError("the interpreter is closed")
        error = _call_unchecked(ctx, func, self._args, _ARGS, self._trap_ref)
        if error or self._trap:
            raise self._failure(error)
        return self._args[0]

    # -- life cycle --

    def initialise(self) -> None:
        """Run libc's constructors (images that are not pre-initialised)."""
        func = self._func(b"_initialize", required=False)
        if func is not None:
            self._call(func, 0)

    def init(self, heap: int, heap_max: int) -> int:
        self._args[0].i32 = heap
        self._args[1].i32 = heap_max
        func = self._func(b"mpw_init")
        return int(self._call(func, 2).i32)

    def set_heap_max(self, heap_max: int) -> None:
        func = self._func(b"mpw_set_heap_max", required=False)
        if func is not None:
            self._args[0].i32 = heap_max
            self._call(func, 1)

    def deinit(self) -> None:
        func = self._func(b"mpw_deinit", required=False)
        if func is not None:
            self._call(func, 0)

    def forget_preopens(self) -> bool:
        """Make libc look up the preopened directories again on next use (before a copy of the memory
        becomes a new image's); False if the image cannot."""
        func = self._func(b"mpw_forget_preopens", required=False)
        if func is None:
            return False
        self._call(func, 0)
        return True

    def set_option(self, option: int, value: int) -> bool:
        """Set an interpreter option (OPTION_*); False when the image does not have it."""
        func = self._func(b"mpw_set_option", required=False)
        if func is None:
            return False
        self._args[0].i32 = option
        self._args[1].i32 = value
        return int(self._call(func, 2).i32) == 0

    def close(self) -> None:
        """Free the instance (any thread; a request_interrupt() in progress finishes first)."""
        self._stop_ticking()
        with self._interrupt_lock:
            self.interrupt_word = None
            self.store = None  # type: ignore[assignment]
            self.ctx = None

    # -- memory --

    def memory_size(self) -> int:
        if self.ctx is None:
            raise SandboxClosedError("the interpreter is closed")
        return int(_memory_data_size(self.ctx, self._memory_ref))

    def read_memory(self, ptr: int, length: int, ctx: Any = None) -> bytes:
        ctx = ctx or self.ctx
        if ctx is None:
            raise SandboxClosedError("the interpreter is closed")
        if ptr + length > _memory_data_size(ctx, self._memory_ref):
            raise GuestBufferError("the guest passed a buffer outside its memory")
        return _string_at(_addressof(_memory_data(ctx, self._memory_ref).contents) + ptr, length)

    def write_memory(self, ptr: int, data: bytes, ctx: Any = None) -> None:
        ctx = ctx or self.ctx
        if ctx is None:
            raise SandboxClosedError("the interpreter is closed")
        if ptr + len(data) > _memory_data_size(ctx, self._memory_ref):
            raise GuestBufferError("the guest passed a buffer outside its memory")
        _memmove(_addressof(_memory_data(ctx, self._memory_ref).contents) + ptr, data, len(data))

    def memory_address(self) -> int:
        """Where linear memory starts in the host's address space (it does not move: see prepare_interrupt)."""
        if self.ctx is None:
            raise SandboxClosedError("the interpreter is closed")
        return _addressof(_memory_data(self.ctx, self._memory_ref).contents)

    def grow_memory(self, size: int) -> bool:
        """Grow linear memory to `size` bytes (a whole number of pages); False if the store's limit refuses."""
        if self.ctx is None:
            raise SandboxClosedError("the interpreter is closed")
        pages = (size - self.memory_size()) // _WASM_PAGE
        if pages <= 0:
            return True
        previous = ctypes.c_uint64(0)
        error = _wp.memory_grow(self.ctx, self._memory_ref, pages, byref(previous))
        if error:
            _wp.take_trap(None, error)  # (frees it)
            return False
        return True

    # -- calls --

    def buffer(self, size: int) -> int:
        """A guest buffer of `size` bytes for an argument (0 when out of memory)."""
        self._args[0].i32 = size
        return int(self._call(self._f_buffer, 1).i32) & _MASK32

    def put(self, data: bytes) -> bool:
        ptr = self.buffer(len(data))
        if ptr == 0:
            return False
        self.write_memory(ptr, data)
        return True

    def exec(self, length: int, kind: int, timeout_ns: int) -> int:
        args = self._args
        args[0].i32 = length
        args[1].i32 = kind
        args[2].i64 = timeout_ns
        return int(self._call(self._f_exec, 3).i32)

    def set_argv(self, length: int) -> None:
        self._args[0].i32 = length
        self._call(self._func(b"mpw_set_argv"), 1)

    def register(self, length: int) -> int:
        self._args[0].i32 = length
        return int(self._call(self._func(b"mpw_register_host_function"), 1).i32)

    def interrupt_address(self) -> int | None:
        """Address of the word that requests a KeyboardInterrupt, if the image has one."""
        if self._interrupt_address is None:
            func = self._func(b"mpw_interrupt_flag", required=False)
            if func is not None:
                self._interrupt_address = int(self._call(func, 0).i32) & _MASK32
        return self._interrupt_address

    def prepare_interrupt(self) -> None:
        """Note where the interrupt word is, for request_interrupt() during the next call.

        Called on the thread that runs the guest, before the call: linear
        memory does not move while it grows (wasmtime reserves its whole
        address range up front), so the address stays valid during the call.
        """
        address = self.interrupt_address()
        if address is not None:
            self.interrupt_word = _addressof(_memory_data(self.ctx, self._memory_ref).contents) + address
        if self.console_address is None:
            func = self._func(b"mpw_console_state", required=False)
            if func is not None:
                self.console_address = int(self._call(func, 0).i32) & _MASK32

    def console_leftover(self) -> tuple[int, bytes] | None:
        """(stream, data) still in the guest's console buffer; for after a trap.

        Reads memory only (the buffer's layout is in ports/wasi/mpw_abi.h):
        nothing runs in an instance that trapped.
        """
        address = self.console_address
        if address is None or self.ctx is None:
            return None
        header = self.read_memory(address, _abi.CONSOLE_HEADER_SIZE)
        stream = int.from_bytes(header[:4], "little", signed=True)
        length = int.from_bytes(header[4:], "little")
        if not 0 < length <= _abi.CONSOLE_BUFFER_SIZE:
            return None
        return stream, self.read_memory(address + _abi.CONSOLE_HEADER_SIZE, length)

    def request_interrupt(self) -> bool:
        """Ask the running guest to raise KeyboardInterrupt; safe from any thread."""
        with self._interrupt_lock:  # (close() cannot free the memory meanwhile)
            word = self.interrupt_word
            if word is None:
                return False
            ctypes.c_uint32.from_address(word).value = 1
            return True

    # -- limits --

    def set_fuel(self, fuel: int) -> None:
        if self.ctx is None:
            raise SandboxClosedError("the interpreter is closed")
        _set_fuel(self.ctx, fuel)

    def get_fuel(self) -> int:
        if self.ctx is None:
            raise SandboxClosedError("the interpreter is closed")
        remaining = ctypes.c_uint64(0)
        _get_fuel(self.ctx, byref(remaining))
        return remaining.value

    def set_deadline(self, ticks: int, ctx: Any = None) -> None:
        """Trap once `ticks` epoch ticks from now have passed (from a host import: pass its ctx)."""
        ctx = ctx or self.ctx
        if ctx is None:
            raise SandboxClosedError("the interpreter is closed")
        _set_epoch_deadline(ctx, ticks)

