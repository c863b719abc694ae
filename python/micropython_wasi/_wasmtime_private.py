"""Every use of the wasmtime package's private API, in one place.

The runner calls wasmtime's C API directly (the "unchecked" function calls,
raw store contexts, pooling allocation, epochs): the package's public wrappers
cost tens of microseconds per call, more than running a small program, and do
not offer pooling. Those bindings are the package's private modules
(wasmtime._bindings, wasmtime._ffi) and a few private methods, which may change
in any release: this module was written against wasmtime 50.0.1 (pyproject.toml
pins wasmtime>=50,<51). After an upgrade, review this file; nothing else in the
package touches wasmtime's private names.
"""

from __future__ import annotations

import ctypes
import os
from ctypes import POINTER, byref
from typing import Any

import wasmtime
from wasmtime import _bindings as _b
from wasmtime import _ffi

WRITTEN_FOR = "50.0.1"
"""The wasmtime release this module was written and reviewed against."""

# -- types ------------------------------------------------------------------------

ValRaw = _b.wasmtime_val_raw_t
"""One argument or result of an unchecked call (a union: .i32, .i64, ...)."""
Instance = _b.wasmtime_instance_t
Extern = _b.wasmtime_extern_t
EXTERN_FUNC = _ffi.WASMTIME_EXTERN_FUNC.value


def trap_pointer() -> Any:
    """A null wasm_trap_t pointer, for calls to report a trap into."""
    return POINTER(_b.wasm_trap_t)()


# -- the library ------------------------------------------------------------------


def library_identity() -> bytes:
    """Identifies the wasmtime shared library in use (compiled code is only valid for it)."""
    try:
        st = os.stat(_ffi.filename)
        return f"{_ffi.filename}:{st.st_size}:{st.st_mtime_ns}".encode()
    except OSError:
        return b"unknown"


# -- traps and errors -------------------------------------------------------------


def take_trap(trap_ptr: Any, err_ptr: Any) -> tuple[str, wasmtime.TrapCode | None, int | None]:
    """(message, trap code, WASI exit status) of a trap or error a call returned; frees it."""
    if err_ptr:
        status = ctypes.c_int()
        if _b.wasmtime_error_exit_status(err_ptr, byref(status)):
            _b.wasmtime_error_delete(err_ptr)
            return f"the guest exited with status {status.value}", None, status.value
        return str(wasmtime.WasmtimeError._from_ptr(err_ptr)), None, None
    trap = wasmtime.Trap._from_ptr(trap_ptr)
    try:
        code = trap.trap_code
    except Exception:
        code = None
    return trap.message, code, None


def new_trap(message: str) -> int:
    """A new trap with this message, as a host import's callback returns it."""
    data = message.encode()
    trap = _b._wasmtime_trap_new(data, len(data))
    return ctypes.cast(trap, ctypes.c_void_p).value or 0


# -- host imports -----------------------------------------------------------------

unchecked_callback = _b.wasmtime_func_unchecked_callback_t
"""Decorator for a host import: (env, caller, args, nargs) -> trap pointer or 0."""
caller_context = _b._wasmtime_caller_context

_NO_FINALIZER = ctypes.cast(0, ctypes.CFUNCTYPE(None, ctypes.c_void_p))


def define_unchecked(linker: wasmtime.Linker, module: str, name: str, functype: wasmtime.FuncType,
                     callback: Any, env: int) -> None:
    """Define module.name in the linker as `callback`, which receives `env`."""
    raw_module, raw_name = module.encode(), name.encode()
    error = _b._wasmtime_linker_define_func_unchecked(
        linker.ptr(), raw_module, len(raw_module), raw_name, len(raw_name), functype.ptr(),
        callback, env, _NO_FINALIZER)
    if error:
        raise wasmtime.WasmtimeError._from_ptr(error)


# -- engines ----------------------------------------------------------------------


def increment_epoch(engine: wasmtime.Engine) -> None:
    _b._wasmtime_engine_increment_epoch(engine.ptr())


def set_pooling(config: wasmtime.Config, slots: int, keep_resident: int, warm_slots: int) -> None:
    """Make engines of this config allocate instances from a pool of `slots`."""
    pool = _b.wasmtime_pooling_allocation_config_new()
    # Each instance has its linear memory and a GC heap (for wasm exceptions).
    _b.wasmtime_pooling_allocation_config_total_core_instances_set(pool, slots)
    _b.wasmtime_pooling_allocation_config_total_memories_set(pool, 2 * slots)
    _b.wasmtime_pooling_allocation_config_total_gc_heaps_set(pool, slots)
    _b.wasmtime_pooling_allocation_config_total_tables_set(pool, slots)
    _b.wasmtime_pooling_allocation_config_linear_memory_keep_resident_set(pool, keep_resident)
    _b.wasmtime_pooling_allocation_config_max_unused_warm_slots_set(pool, warm_slots)
    _b.wasmtime_pooling_allocation_strategy_set(config.ptr(), pool)
    _b.wasmtime_pooling_allocation_config_delete(pool)


# -- stores and instances -----------------------------------------------------------


def store_context(store: wasmtime.Store) -> Any:
    """The store's raw context, which the functions below take."""
    return store._context()


def instantiate(instance_pre: Any, ctx: Any, instance: Any, trap_ref: Any) -> Any:
    """Instantiate into `instance`; returns an error pointer (or sets the trap)."""
    return _b._wasmtime_instance_pre_instantiate(instance_pre.ptr(), ctx, byref(instance), trap_ref)


# Called for every interpreter, run or host import: plain aliases of the C functions.
instance_export_get = _b._wasmtime_instance_export_get
"""(ctx, byref(instance), name, len(name), byref(extern)) -> whether the export exists."""
call_unchecked = _b._wasmtime_func_call_unchecked
"""(ctx, func ref, args, len(args), trap ref) -> error pointer."""
memory_data = _b._wasmtime_memory_data
memory_data_size = _b._wasmtime_memory_data_size
set_fuel = _b._wasmtime_context_set_fuel
get_fuel = _b._wasmtime_context_get_fuel
set_epoch_deadline = _b._wasmtime_context_set_epoch_deadline
memory_grow = _b._wasmtime_memory_grow
"""(ctx, memory ref, delta pages, byref(c_uint64 previous pages)) -> error pointer."""


def caller_memory(caller: Any) -> tuple[int, int] | None:
    """(address, size) of the calling instance's exported "memory", for a host import."""
    item = Extern()
    name = b"memory"
    if (not _b._wasmtime_caller_export_get(caller, name, len(name), byref(item))
            or item.kind != _ffi.WASMTIME_EXTERN_MEMORY.value):
        return None
    ctx = caller_context(caller)
    memory = byref(item.of.memory)
    return ctypes.addressof(memory_data(ctx, memory).contents), int(memory_data_size(ctx, memory))
