"""The WebAssembly side of the runner: engines, compiled images, instances.

Compiling the image takes seconds, so it happens once per process and engine
configuration, and the compiled code is cached on disk (keyed by the image's
hash, the wasmtime library and the engine settings; see _cache.py for why it
can be trusted): a new process only loads the cached code.

Starting an interpreter (libc constructors, then `mpw_init`) is done once per
image too: the first time an image is used, an instance is initialised and its
linear memory is written back into a copy of the image as data segments (a
"pre-initialised" image, cached like the original). Every interpreter then
starts from that state, which wasmtime maps copy-on-write, so creating one
costs about as much as creating an empty instance.

Calls into the guest and the guest's calls to the host go through wasmtime's
C API directly (the "unchecked" variants): the generic wrappers of the wasmtime
package cost tens of microseconds per call, more than running small programs.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import threading
import time
from collections.abc import Callable
from ctypes import POINTER, byref
from pathlib import Path
from typing import Any

import wasmtime
from wasmtime import _bindings as _b
from wasmtime import _ffi

from . import _cache
from .errors import ImageError

# Kinds of mpw_exec(); see ports/wasi/main.c.
EXEC_SOURCE = 0
EXEC_FILE = 1
EXEC_MODULE = 2
EXEC_REPL = 3
EXIT_FLAG = 0x100
# mpw_exec() flags: the limits that acted during the run (see ports/wasi/main.c).
LIMIT_TIMEOUT = 0x200
LIMIT_MEMORY = 0x400
STATUS_MASK = 0x1FF

# Options of mpw_set_option(), as the `micropython` command's -v, -O and
# -X compile-only set them; see ports/wasi/main.c.
OPTION_VERBOSE = 0
OPTION_OPTIMISE = 1
OPTION_COMPILE_ONLY = 2
OPTION_CONSOLE_MODE = 3

# mpw_host_write's stream for the REPL's terminal mode switches (not output):
# b"r" raw while it reads a line, b"o" the original mode while code runs.
STREAM_CONSOLE_MODE = 3

# wasm stack for the interpreter's C code. wasmtime-py aborts the process for
# values above 2 MiB; the port's own recursion limit keeps well inside this.
# ports/wasi/guard.c assumes this value (MICROPY_WASI_ENGINE_STACK) when it
# estimates how much of it deep C recursion uses.
MAX_WASM_STACK = 1024 * 1024

# The GC heap an interpreter starts with; it grows in further areas on demand.
INITIAL_HEAP = 256 * 1024

IMPORT_MODULE = "micropython_wasi"

_WASM_PAGE = 65536


def _wasmtime_identity() -> bytes:
    """Identifies the wasmtime library in use (compiled code is only valid for it)."""
    try:
        st = os.stat(_ffi.filename)
        return f"{_ffi.filename}:{st.st_size}:{st.st_mtime_ns}".encode()
    except OSError:
        return b"unknown"


# -- traps --------------------------------------------------------------------


class GuestTrap(Exception):
    """The guest stopped abnormally: a wasm trap, or a WASI exit."""

    def __init__(self, message: str, code: wasmtime.TrapCode | None = None, exit_status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.exit_status = exit_status


def _take_trap(trap_ptr: Any, err_ptr: Any) -> GuestTrap:
    """Turn a trap or error returned by wasmtime into a GuestTrap (and free it)."""
    if err_ptr:
        status = ctypes.c_int()
        if _b.wasmtime_error_exit_status(err_ptr, byref(status)):
            _b.wasmtime_error_delete(err_ptr)
            return GuestTrap(f"the guest exited with status {status.value}", exit_status=status.value)
        error = wasmtime.WasmtimeError._from_ptr(err_ptr)
        return GuestTrap(str(error))
    trap = wasmtime.Trap._from_ptr(trap_ptr)
    try:
        code = trap.trap_code
    except Exception:
        code = None
    return GuestTrap(trap.message, code=code)


# -- host imports ---------------------------------------------------------------

# The object whose guest code runs on this thread; host imports are dispatched
# to its methods (see Guest.handler).
_current = threading.local()

_I32 = wasmtime.ValType.i32()
_IMPORT_TYPES: dict[str, tuple[list[wasmtime.ValType], list[wasmtime.ValType]]] = {
    "write": ([_I32, _I32, _I32], []),
    "read": ([_I32, _I32], [_I32]),
    "call": ([_I32, _I32, _I32, _I32], [_I32]),
    "reply": ([_I32, _I32], []),
    "exception": ([_I32, _I32], []),
}
_IMPORT_NAMES = list(_IMPORT_TYPES)
_MASK32 = 0xFFFFFFFF


def _make_trap(message: str) -> int:
    data = message.encode()
    trap = _b._wasmtime_trap_new(data, len(data))
    return ctypes.cast(trap, ctypes.c_void_p).value or 0


@_b.wasmtime_func_unchecked_callback_t  # type: ignore[untyped-decorator]
def _host_import(env: int | None, caller: Any, args: Any, nargs: int) -> int:
    """Every host import lands here; `env` is its index in _IMPORT_NAMES."""
    try:
        handler = getattr(_current, "handler", None)
        if handler is None:
            return _make_trap("micropython_wasi: host import called outside a run")
        index = env or 0
        ctx = _b._wasmtime_caller_context(caller)
        if index == 0:
            handler.host_write(ctx, args[0].i32, args[1].i32 & _MASK32, args[2].i32 & _MASK32)
        elif index == 1:
            args[0].i32 = handler.host_read(ctx, args[0].i32 & _MASK32, args[1].i32 & _MASK32)
        elif index == 2:
            args[0].i32 = handler.host_call(ctx, args[0].i32 & _MASK32, args[1].i32 & _MASK32,
                                            args[2].i32 & _MASK32, args[3].i32 & _MASK32)
        elif index == 3:
            handler.host_reply(ctx, args[0].i32 & _MASK32, args[1].i32 & _MASK32)
        else:
            handler.host_exception(ctx, args[0].i32 & _MASK32, args[1].i32 & _MASK32)
        return 0
    except BaseException as exc:  # noqa: BLE001 - nothing may escape into wasmtime
        handler = getattr(_current, "handler", None)
        if handler is not None and getattr(handler, "host_error", None) is None:
            handler.host_error = exc
        return _make_trap(f"micropython_wasi: host import failed: {type(exc).__name__}")


_NO_FINALIZER = ctypes.cast(0, ctypes.CFUNCTYPE(None, ctypes.c_void_p))


def _define_imports(linker: wasmtime.Linker) -> None:
    module = IMPORT_MODULE.encode()
    for index, name in enumerate(_IMPORT_NAMES):
        params, results = _IMPORT_TYPES[name]
        functype = wasmtime.FuncType(params, results)
        raw_name = name.encode()
        error = _b._wasmtime_linker_define_func_unchecked(
            linker.ptr(), module, len(module), raw_name, len(raw_name), functype.ptr(),
            _host_import, index, _NO_FINALIZER)
        if error:
            raise wasmtime.WasmtimeError._from_ptr(error)


# -- epochs: the hard time limit -------------------------------------------------

EPOCH_TICK = 0.01
"""Seconds between epoch ticks while a run with a time limit is in progress."""
NO_DEADLINE = 2**62
# Fuel for the host's own calls into the guest (start-up, source text,
# registrations) when fuel is metered: a run's budget covers only the run.
UNMETERED_FUEL = 2**63 - 1
# Starting an interpreter (the image's start function, `_initialize`,
# `mpw_init`, registrations) is bounded too, so that an image that loops there
# cannot hang its host: by the hard time limit where the engine has epochs,
# and by fuel where it meters fuel. Both are far above what a real start costs.
STARTUP_TIMEOUT = 10.0
STARTUP_FUEL = 10**10


class _EpochTicker:
    """Advances every engine's epoch while runs with a time limit are in progress.

    One daemon thread, started on first use. It ticks while some timed run is
    in progress, keeps ticking for IDLE_TICKS after the last one ends (so that
    back-to-back runs do not have to wake it), then sleeps until the next. A
    store whose deadline (in ticks) passes traps at its next function entry or
    loop iteration, whatever the guest is doing.
    """

    IDLE_TICKS = 100

    def __init__(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._active = 0
        self._sleeping = False
        self._engines: list[wasmtime.Engine] = []
        self._thread: threading.Thread | None = None

    def add_engine(self, engine: wasmtime.Engine) -> None:
        with self._cond:
            self._engines.append(engine)

    def begin(self) -> None:
        with self._cond:
            self._active += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="micropython-wasi-epoch", daemon=True)
                self._thread.start()
            elif self._sleeping:
                self._cond.notify()

    def end(self) -> None:
        with self._cond:
            self._active -= 1

    def _run(self) -> None:
        idle = 0
        while True:
            with self._cond:
                if self._active:
                    idle = 0
                else:
                    idle += 1
                    if idle > self.IDLE_TICKS:
                        self._sleeping = True
                        while not self._active:
                            self._cond.wait()
                        self._sleeping = False
                        idle = 0
                engines = list(self._engines)
            time.sleep(EPOCH_TICK)
            for engine in engines:
                _b._wasmtime_engine_increment_epoch(engine.ptr())


ticker = _EpochTicker()


def _after_fork() -> None:
    # A forked child has no ticker thread: start a new one when needed.
    global ticker
    engines = ticker._engines
    ticker = _EpochTicker()
    ticker._engines = list(engines)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def deadline_ticks(seconds: float) -> int:
    """Epoch ticks that cover at least `seconds`."""
    return int(seconds / EPOCH_TICK) + 2


# -- images ---------------------------------------------------------------------


class Runtime:
    """A compiled image ready to instantiate, with the engine it was compiled for."""

    def __init__(self, engine: wasmtime.Engine, module: wasmtime.Module, linker: wasmtime.Linker,
                 instance_pre: Any, fuel: bool, preinitialised: bool, image_path: Path,
                 pooled: bool = False, epoch: bool = True) -> None:
        self.engine = engine
        self.module = module
        self.linker = linker
        self.instance_pre = instance_pre
        self.fuel = fuel
        self.epoch = epoch
        self.preinitialised = preinitialised
        self.image_path = image_path
        self.pooled = pooled
        self.cache_key: str | None = None
        self._overflow: Runtime | None = None
        memory = next(e.type for e in module.exports if isinstance(e.type, wasmtime.MemoryType))
        self.initial_memory = memory.limits.min * _WASM_PAGE

    def overflow(self) -> Runtime:
        """The same image on an engine without an instance pool, for when the pool is full."""
        with _lock:
            if self._overflow is None:
                engine = get_engine(self.fuel, pooled=False, epoch=self.epoch)
                assert engine is not None
                module = _load_cached(engine, self.cache_key) if self.cache_key else None
                if module is None:
                    module = wasmtime.Module.deserialize(engine, self.module.serialize())
                linker, pre = _link(engine, module, self.image_path)
                self._overflow = Runtime(engine, module, linker, pre, self.fuel, self.preinitialised,
                                         self.image_path, epoch=self.epoch)
            return self._overflow


_lock = threading.RLock()
_engines: dict[tuple[bool, bool, bool], wasmtime.Engine | None] = {}
_runtimes: dict[tuple[str, int, int, bool, bool], Runtime] = {}

POOL_SIZE = 16
"""Interpreters per engine whose memory comes from wasmtime's pooling allocator.

A pooled instance starts and ends faster (its memory slot stays mapped and
is reset in place); beyond this many live interpreters, new ones use ordinary
allocation. Each slot reserves (but does not commit) 8 GiB of address space.
MICROPY_WASI_POOL_SIZE overrides this; 0 turns pooling off."""
POOL_KEEP_RESIDENT = 1024 * 1024
POOL_WARM_SLOTS = 16


def _pool_size() -> int:
    try:
        return max(0, int(os.environ.get("MICROPY_WASI_POOL_SIZE", POOL_SIZE)))
    except ValueError:
        return POOL_SIZE


def _engine_settings(fuel: bool, epoch: bool = True) -> bytes:
    return b"exceptions,fixed-memory,epoch=%d,fuel=%d,stack=%d" % (epoch, fuel, MAX_WASM_STACK)


def _make_config(fuel: bool, epoch: bool = True) -> wasmtime.Config:
    # Epoch interruption (the hard time limit) costs up to a fifth of the
    # interpreter's speed in loops: engines for runs without a time limit go
    # without it.
    config = wasmtime.Config()
    config.wasm_exceptions = True
    config.epoch_interruption = epoch
    config.consume_fuel = fuel
    config.max_wasm_stack = MAX_WASM_STACK
    # Linear memory stays where it is when it grows (see prepare_interrupt).
    config.memory_may_move = False
    return config


def _make_pooled_engine(fuel: bool, epoch: bool, slots: int) -> wasmtime.Engine:
    config = _make_config(fuel, epoch)
    pool = _b.wasmtime_pooling_allocation_config_new()
    # Each instance has its linear memory and a GC heap (for wasm exceptions).
    _b.wasmtime_pooling_allocation_config_total_core_instances_set(pool, slots)
    _b.wasmtime_pooling_allocation_config_total_memories_set(pool, 2 * slots)
    _b.wasmtime_pooling_allocation_config_total_gc_heaps_set(pool, slots)
    _b.wasmtime_pooling_allocation_config_total_tables_set(pool, slots)
    _b.wasmtime_pooling_allocation_config_linear_memory_keep_resident_set(pool, POOL_KEEP_RESIDENT)
    _b.wasmtime_pooling_allocation_config_max_unused_warm_slots_set(pool, min(slots, POOL_WARM_SLOTS))
    _b.wasmtime_pooling_allocation_strategy_set(config.ptr(), pool)
    _b.wasmtime_pooling_allocation_config_delete(pool)
    return wasmtime.Engine(config)


def get_engine(fuel: bool, pooled: bool, epoch: bool = True) -> wasmtime.Engine | None:
    """The process-wide engine for these settings (None: a pooled engine is unavailable)."""
    key = (fuel, pooled, epoch)
    with _lock:
        if key not in _engines:
            engine: wasmtime.Engine | None
            if pooled:
                slots = _pool_size()
                try:
                    engine = _make_pooled_engine(fuel, epoch, slots) if slots > 0 else None
                except Exception:
                    engine = None  # e.g. address space limited: allocate on demand instead
            else:
                engine = wasmtime.Engine(_make_config(fuel, epoch))
            _engines[key] = engine
            if engine is not None and epoch:
                ticker.add_engine(engine)
        return _engines[key]


def _cache_key(image_hash: str, fuel: bool, kind: bytes, epoch: bool = True) -> str:
    return _cache.entry_name(image_hash.encode(), kind, _engine_settings(fuel, epoch), _wasmtime_identity(),
                             str(INITIAL_HEAP).encode(), suffix="")


def _load_cached(engine: wasmtime.Engine, key: str) -> wasmtime.Module | None:
    data = _cache.load(f"{key}.cwasm")
    if data is None:
        return None
    try:
        return wasmtime.Module.deserialize(engine, data)
    except Exception:
        return None  # made by another wasmtime or engine: compile again


def _store_cached(module: wasmtime.Module, key: str) -> None:
    _cache.store(f"{key}.cwasm", bytes(module.serialize()))


def _compile(engine: wasmtime.Engine, data: bytes, path: Path) -> wasmtime.Module:
    try:
        return wasmtime.Module(engine, data)
    except Exception as exc:
        raise ImageError(f"{path} is not a loadable WebAssembly image: {exc}") from exc


def _link(engine: wasmtime.Engine, module: wasmtime.Module, path: Path) -> tuple[wasmtime.Linker, Any]:
    exports = {e.name for e in module.exports}
    if "_start" in exports and "mpw_init" not in exports:
        raise ImageError(
            f"{path} is a WASI command image (built with --format command), which this runner cannot embed: "
            f"run it with a WASI runtime (wasmtime run --dir . {path.name} script.py), or build a reactor image "
            f"for this runner (micropython-wasi build without --format command)")
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    _define_imports(linker)
    try:
        instance_pre = linker.instantiate_pre(module)
    except Exception as exc:
        raise ImageError(f"{path} is not a micropython-wasi image: {exc}") from exc
    missing = {"memory", "mpw_init", "mpw_buffer", "mpw_exec"} - exports
    if missing:
        raise ImageError(f"{path} is not a micropython-wasi image: it does not export {', '.join(sorted(missing))}")
    return linker, instance_pre


def get_runtime(path: Path, fuel: bool, epoch: bool = True) -> Runtime:
    """The process-wide runtime for this image, fuel and epoch (time limit) settings."""
    try:
        st = path.stat()
    except OSError as exc:
        raise ImageError(f"cannot read image {path}: {exc}") from exc
    key = (str(path), st.st_size, st.st_mtime_ns, fuel, epoch)
    runtime = _runtimes.get(key)
    if runtime is not None:
        return runtime
    with _lock:
        runtime = _runtimes.get(key)
        if runtime is None:
            runtime = _make_runtime(path, fuel, epoch)
            _runtimes[key] = runtime
        return runtime


def _make_runtime(path: Path, fuel: bool, epoch: bool) -> Runtime:
    engine = get_engine(fuel, pooled=True, epoch=epoch)
    pooled = engine is not None
    if engine is None:
        engine = get_engine(fuel, pooled=False, epoch=epoch)
        assert engine is not None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImageError(f"cannot read image {path}: {exc}") from exc
    if data[:4] != b"\0asm":
        raise ImageError(f"{path} is not a WebAssembly image (it does not start with the wasm magic number)")
    image_hash = hashlib.sha256(data).hexdigest()

    preinit_key = _cache_key(image_hash, fuel, b"preinitialised", epoch)
    module = _load_cached(engine, preinit_key)
    if module is not None:
        linker, pre = _link(engine, module, path)
        runtime = Runtime(engine, module, linker, pre, fuel, True, path, pooled, epoch)
        runtime.cache_key = preinit_key
        return runtime

    # The pre-initialised image itself (engine-independent): made once, then
    # only compiled for each engine configuration.
    snapshot_name = f"{_cache_key(image_hash, False, b'snapshot')}.wasm"
    snapshot = _cache.load(snapshot_name)
    if snapshot is None:
        plain_key = _cache_key(image_hash, fuel, b"plain", epoch)
        plain = _load_cached(engine, plain_key)
        if plain is None:
            plain = _compile(engine, data, path)
        linker, pre = _link(engine, plain, path)
        plain_runtime = Runtime(engine, plain, linker, pre, fuel, False, path, pooled, epoch)
        plain_runtime.cache_key = plain_key
        snapshot = preinitialise(plain_runtime, data)
        if snapshot is None:
            _store_cached(plain, plain_key)
            return plain_runtime
        _cache.store(snapshot_name, snapshot)
    try:
        module = _compile(engine, snapshot, path)
    except ImageError:
        _cache.discard(snapshot_name)  # unusable: made again next time
        raise
    linker, pre = _link(engine, module, path)
    _store_cached(module, preinit_key)
    runtime = Runtime(engine, module, linker, pre, fuel, True, path, pooled, epoch)
    runtime.cache_key = preinit_key
    return runtime


# -- pre-initialisation ----------------------------------------------------------


def _leb(data: bytes | memoryview, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def _uleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _sleb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def _sections(data: bytes) -> list[tuple[int, bytes]]:
    if data[:8] != b"\0asm\x01\0\0\0":
        raise ValueError("not a wasm module")
    sections = []
    pos = 8
    while pos < len(data):
        section_id = data[pos]
        size, pos = _leb(data, pos + 1)
        sections.append((section_id, data[pos:pos + size]))
        pos += size
    return sections


def _can_preinitialise(sections: list[tuple[int, bytes]]) -> bool:
    """Whether a memory snapshot alone captures an instance's state after mpw_init.

    That is so for the images this project builds: one linear memory, active
    data segments only, no start function, and one mutable global (the C stack
    pointer, which is back at its initial value whenever the guest returns).
    """
    ids = [section_id for section_id, _ in sections]
    if 8 in ids or 5 not in ids:
        return False
    for section_id, body in sections:
        if section_id == 2:
            count, pos = _leb(body, 0)
            for _ in range(count):
                for _ in range(2):
                    n, pos = _leb(body, pos)
                    pos += n
                kind = body[pos]
                if kind in (2, 3):  # an imported memory or global
                    return False
                pos += 1
                if kind == 0:
                    _, pos = _leb(body, pos)
                elif kind == 1:
                    pos += 1
                    flags, pos = _leb(body, pos + 0)
                    _, pos = _leb(body, pos)
                    if flags & 1:
                        _, pos = _leb(body, pos)
                elif kind == 4:
                    pos += 1
                    _, pos = _leb(body, pos)
        elif section_id == 5:
            count, _ = _leb(body, 0)
            if count != 1:
                return False
        elif section_id == 6:
            count, pos = _leb(body, 0)
            mutable = 0
            for index in range(count):
                pos += 1  # value type
                is_mutable = body[pos]
                pos += 1
                if is_mutable:
                    mutable += 1
                    if index != 0:
                        return False
                # skip the constant expression
                while body[pos] != 0x0B:
                    opcode = body[pos]
                    pos += 1
                    if opcode in (0x41, 0x42, 0x23):
                        _, pos = _leb(body, pos)
                    elif opcode == 0x44:
                        pos += 8
                    elif opcode == 0x43:
                        pos += 4
                    else:
                        return False
                pos += 1
            if mutable > 1:
                return False
        elif section_id == 11:
            count, pos = _leb(body, 0)
            for _ in range(count):
                flags, pos = _leb(body, pos)
                if flags != 0:
                    return False
                if body[pos] != 0x41:
                    return False
                _, pos = _leb(body, pos + 1)
                if body[pos] != 0x0B:
                    return False
                size, pos = _leb(body, pos + 1)
                pos += size
    return True


# Zero runs shorter than this do not split a data segment.
_SEGMENT_GAP = 64


def _data_segments(memory: bytes) -> list[tuple[int, bytes]]:
    import re

    segments: list[tuple[int, bytes]] = []
    start = end = -1
    for match in re.finditer(rb"[^\x00]+", memory):
        if start >= 0 and match.start() - end < _SEGMENT_GAP:
            end = match.end()
            continue
        if start >= 0:
            segments.append((start, memory[start:end]))
        start, end = match.start(), match.end()
    if start >= 0:
        segments.append((start, memory[start:end]))
    return segments


def _section(section_id: int, body: bytes) -> bytes:
    return bytes([section_id]) + _uleb(len(body)) + body


def _rewrite(sections: list[tuple[int, bytes]], memory: bytes) -> bytes:
    pages = len(memory) // _WASM_PAGE
    segments = _data_segments(memory)
    data_body = bytearray(_uleb(len(segments)))
    for offset, chunk in segments:
        data_body += b"\0\x41" + _sleb(offset) + b"\x0b" + _uleb(len(chunk)) + chunk
    out = bytearray(b"\0asm\x01\0\0\0")
    for section_id, body in sections:
        if section_id == 5:
            _, pos = _leb(body, 0)
            flags, pos = _leb(body, pos)
            _, pos = _leb(body, pos)
            new = _uleb(1) + _uleb(flags) + _uleb(pages) + body[pos:]
            out += _section(5, new)
        elif section_id == 12:
            out += _section(12, _uleb(len(segments)))
        elif section_id == 11:
            out += _section(11, bytes(data_body))
        else:
            out += _section(section_id, body)
    return bytes(out)


def preinitialise(runtime: Runtime, data: bytes) -> bytes | None:
    """A copy of the image whose memory starts as it is after `mpw_init`, or None if unsupported."""
    try:
        sections = _sections(data)
    except (ValueError, IndexError):
        return None
    export_names = {e.name for e in runtime.module.exports}
    if not {"_initialize", "mpw_set_heap_max"} <= export_names or not _can_preinitialise(sections):
        return None
    guest = Guest(runtime, memory_limit=64 * 1024 * 1024, wasi=wasmtime.WasiConfig(), initialise=False)
    try:
        guest.initialise()
        if guest.init(INITIAL_HEAP, INITIAL_HEAP) != 0:
            return None
        memory = guest.read_memory(0, guest.memory_size())
    except GuestTrap:
        return None
    finally:
        guest.close()
    return _rewrite(sections, memory)


# -- instances ------------------------------------------------------------------

_ARGS = 4
CONSOLE_BUFFER_SIZE = 4096  # CONSOLE_BUF_SIZE in ports/wasi/mphalport.c
_call_unchecked = _b._wasmtime_func_call_unchecked
_memory_data = _b._wasmtime_memory_data
_memory_data_size = _b._wasmtime_memory_data_size
_set_fuel = _b._wasmtime_context_set_fuel
_get_fuel = _b._wasmtime_context_get_fuel
_set_epoch_deadline = _b._wasmtime_context_set_epoch_deadline
_string_at = ctypes.string_at
_memmove = ctypes.memmove
_addressof = ctypes.addressof


class Guest:
    """One interpreter: an instance of the image in a Store of its own.

    `handler` receives the guest's host-import calls while this guest runs
    (see _host_import); it must provide host_write, host_read, host_call,
    host_reply and host_exception, and a `host_error` attribute.
    """

    def __init__(self, runtime: Runtime, memory_limit: int, wasi: wasmtime.WasiConfig | Callable[[], wasmtime.WasiConfig],
                 initialise: bool = True) -> None:
        # Held while the store is freed and while request_interrupt() writes
        # into its memory (from another thread): neither may overlap the other.
        self._interrupt_lock = threading.Lock()
        self._starting = False
        self.interrupt_word: int | None = None
        self._args = (_b.wasmtime_val_raw_t * _ARGS)()
        self._trap = POINTER(_b.wasm_trap_t)()
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
        self.ctx: Any = store._context()
        # Bounded until started() (see STARTUP_TIMEOUT).
        _set_epoch_deadline(self.ctx, deadline_ticks(STARTUP_TIMEOUT) if runtime.epoch else NO_DEADLINE)
        if runtime.fuel:
            _set_fuel(self.ctx, STARTUP_FUEL)
        if runtime.epoch and not self._starting:
            self._starting = True
            ticker.begin()
        instance = _b.wasmtime_instance_t()
        error = _b._wasmtime_instance_pre_instantiate(runtime.instance_pre.ptr(), self.ctx, byref(instance),
                                                      self._trap_ref)
        if error or self._trap:
            self.close()
            raise self._failure(error)
        self._instance = instance

    def started(self) -> None:
        """The interpreter has started: lift the start-up bounds (runs set their own)."""
        self._stop_ticking()
        if self.ctx is not None:
            _set_epoch_deadline(self.ctx, NO_DEADLINE)
            if self.runtime.fuel:
                _set_fuel(self.ctx, UNMETERED_FUEL)

    def _stop_ticking(self) -> None:
        if self._starting:
            self._starting = False
            ticker.end()

    def _export(self, name: bytes) -> Any:
        item = _b.wasmtime_extern_t()
        if not _b._wasmtime_instance_export_get(self.ctx, byref(self._instance), name, len(name), byref(item)):
            return None
        return item

    def _func(self, name: bytes, required: bool = True) -> Any:
        item = self._export(name)
        if item is None or item.kind != _ffi.WASMTIME_EXTERN_FUNC.value:
            if required:
                raise ImageError(f"{self.runtime.image_path} does not export {name.decode()}()")
            return None
        return byref(item.of.func)  # the byref object keeps the struct alive

    def _failure(self, error: Any) -> GuestTrap:
        trap = self._trap
        self._trap = POINTER(_b.wasm_trap_t)()
        self._trap_ref = byref(self._trap)
        return _take_trap(trap, error)

    def _call(self, func: Any, nargs: int) -> Any:
        """Call an export whose `nargs` arguments are in self._args; its result replaces args[0].

        (wasmtime requires the array to hold max(params, results) values: it holds 4.)
        """
        ctx = self.ctx
        if ctx is None:
            raise GuestTrap("the interpreter is closed")
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
            raise GuestTrap("the interpreter is closed")
        return int(_memory_data_size(self.ctx, self._memory_ref))

    def read_memory(self, ptr: int, length: int, ctx: Any = None) -> bytes:
        ctx = ctx or self.ctx
        if ctx is None:
            raise GuestTrap("the interpreter is closed")
        if ptr + length > _memory_data_size(ctx, self._memory_ref):
            raise GuestTrap("the guest passed a buffer outside its memory")
        return _string_at(_addressof(_memory_data(ctx, self._memory_ref).contents) + ptr, length)

    def write_memory(self, ptr: int, data: bytes, ctx: Any = None) -> None:
        ctx = ctx or self.ctx
        if ctx is None:
            raise GuestTrap("the interpreter is closed")
        if ptr + len(data) > _memory_data_size(ctx, self._memory_ref):
            raise GuestTrap("the guest passed a buffer outside its memory")
        _memmove(_addressof(_memory_data(ctx, self._memory_ref).contents) + ptr, data, len(data))

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

        Reads memory only (the buffer's layout is in ports/wasi/mphalport.c):
        nothing runs in an instance that trapped.
        """
        address = self.console_address
        if address is None or self.ctx is None:
            return None
        header = self.read_memory(address, 8)
        stream = int.from_bytes(header[:4], "little", signed=True)
        length = int.from_bytes(header[4:], "little")
        if not 0 < length <= CONSOLE_BUFFER_SIZE:
            return None
        return stream, self.read_memory(address + 8, length)

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
            raise GuestTrap("the interpreter is closed")
        _set_fuel(self.ctx, fuel)

    def get_fuel(self) -> int:
        if self.ctx is None:
            raise GuestTrap("the interpreter is closed")
        remaining = ctypes.c_uint64(0)
        _get_fuel(self.ctx, byref(remaining))
        return remaining.value

    def set_deadline(self, ticks: int, ctx: Any = None) -> None:
        """Trap once `ticks` epoch ticks from now have passed (from a host import: pass its ctx)."""
        ctx = ctx or self.ctx
        if ctx is None:
            raise GuestTrap("the interpreter is closed")
        _set_epoch_deadline(ctx, ticks)

