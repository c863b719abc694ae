"""Compiled images: from an image file to a Runtime, ready to instantiate.

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

This module makes those decisions; the pieces are elsewhere: _engine.py (engines,
pools, the epoch ticker), _imports.py (the host imports), _guest.py (an
instance), _wasm_binary.py (the snapshot's bytes), _wasmtime_private.py (the
calls into wasmtime's C API).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import wasmtime

from . import _abi, _cache, _deterministic, _engine, _wasm_binary, _wasmtime_private as _wp
from ._guest import INITIAL_HEAP, Guest, GuestTrap
from ._imports import define_imports
from .errors import ImageError

_WASM_PAGE = 65536


class Runtime:
    """A compiled image ready to instantiate, with the engine it was compiled for."""

    def __init__(self, engine: wasmtime.Engine, module: wasmtime.Module, linker: wasmtime.Linker,
                 instance_pre: Any, *, fuel: bool, preinitialised: bool, image_path: Path,
                 pooled: bool = False, epoch: bool = True, deterministic: bool = False) -> None:
        self.engine = engine
        self.module = module
        self.linker = linker
        self.instance_pre = instance_pre
        self.fuel = fuel
        self.epoch = epoch
        self.preinitialised = preinitialised
        self.image_path = image_path
        self.pooled = pooled
        self.deterministic = deterministic
        self.cache_key: str | None = None
        self.image_hash = ""  # sha256 of the image file (snapshots name their image by it)
        self._overflow: Runtime | None = None
        memory = next(e.type for e in module.exports if isinstance(e.type, wasmtime.MemoryType))
        self.initial_memory = memory.limits.min * _WASM_PAGE

    def overflow(self) -> Runtime:
        """The same image on an engine without an instance pool, for when the pool is full."""
        with _engine.lock:
            if self._overflow is None:
                engine = _engine.get_engine(self.fuel, pooled=False, epoch=self.epoch)
                assert engine is not None
                module = _load_cached(engine, self.cache_key) if self.cache_key else None
                if module is None:
                    module = wasmtime.Module.deserialize(engine, self.module.serialize())
                linker, pre = _link(engine, module, self.image_path, self.deterministic)
                self._overflow = Runtime(engine, module, linker, pre, fuel=self.fuel,
                                         preinitialised=self.preinitialised, image_path=self.image_path,
                                         epoch=self.epoch, deterministic=self.deterministic)
                self._overflow.image_hash = self.image_hash
            return self._overflow


_runtimes: dict[tuple[str, int, int, bool, bool, bool], Runtime] = {}


def _cache_key(image_hash: str, fuel: bool, kind: bytes, epoch: bool = True) -> str:
    return _cache.entry_name(image_hash.encode(), kind, _engine.engine_settings(fuel, epoch),
                             _wp.library_identity(), str(INITIAL_HEAP).encode(), suffix="")


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


def _link(engine: wasmtime.Engine, module: wasmtime.Module, path: Path,
          deterministic: bool = False) -> tuple[wasmtime.Linker, Any]:
    exports = {e.name for e in module.exports}
    if "_start" in exports and "mpw_init" not in exports:
        raise ImageError(
            f"{path} is a WASI command image (built with --format command), which this runner cannot embed: "
            f"run it with a WASI runtime (wasmtime run --dir . {path.name} script.py), or build a reactor image "
            f"for this runner (micropython-wasi build without --format command)")
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    define_imports(linker)
    if deterministic:
        linker.allow_shadowing = True
        _deterministic.define_imports(linker)  # (replaces WASI's clocks and randomness)
    try:
        instance_pre = linker.instantiate_pre(module)
    except Exception as exc:
        raise ImageError(f"{path} is not a micropython-wasi image: {exc}") from exc
    missing = _abi.REQUIRED_EXPORTS - exports
    if missing:
        raise ImageError(f"{path} is not a micropython-wasi image: it does not export {', '.join(sorted(missing))}")
    return linker, instance_pre


def get_runtime(path: Path, fuel: bool, epoch: bool = True, deterministic: bool = False) -> Runtime:
    """The process-wide runtime for this image, fuel, epoch (time limit) and deterministic settings."""
    try:
        st = path.stat()
    except OSError as exc:
        raise ImageError(f"cannot read image {path}: {exc}") from exc
    key = (str(path), st.st_size, st.st_mtime_ns, fuel, epoch, deterministic)
    runtime = _runtimes.get(key)
    if runtime is not None:
        return runtime
    with _engine.lock:
        runtime = _runtimes.get(key)
        if runtime is None:
            runtime = _make_runtime(path, fuel, epoch, deterministic)
            _runtimes[key] = runtime
        return runtime


def _make_runtime(path: Path, fuel: bool, epoch: bool, deterministic: bool) -> Runtime:
    engine = _engine.get_engine(fuel, pooled=True, epoch=epoch)
    pooled = engine is not None
    if engine is None:
        engine = _engine.get_engine(fuel, pooled=False, epoch=epoch)
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
        linker, pre = _link(engine, module, path, deterministic)
        runtime = Runtime(engine, module, linker, pre, fuel=fuel, preinitialised=True, image_path=path,
                      pooled=pooled, epoch=epoch, deterministic=deterministic)
        runtime.cache_key = preinit_key
        runtime.image_hash = image_hash
        return runtime

    # The pre-initialised image itself (engine-independent): made once, then
    # only compiled for each engine configuration.
    snapshot_name = f"{_cache_key(image_hash, False, b'snapshot')}.wasm"
    snapshot = _cache.load(snapshot_name)
    if snapshot is None and _wasm_binary.is_prepared(data):
        snapshot = data  # (made by prepare.py from an initialised instance: initialising it again would lose that)
    if snapshot is None:
        plain_key = _cache_key(image_hash, fuel, b"plain", epoch)
        plain = _load_cached(engine, plain_key)
        if plain is None:
            plain = _compile(engine, data, path)
        linker, pre = _link(engine, plain, path, deterministic)
        plain_runtime = Runtime(engine, plain, linker, pre, fuel=fuel, preinitialised=False,
                                    image_path=path, pooled=pooled, epoch=epoch, deterministic=deterministic)
        plain_runtime.cache_key = plain_key
        plain_runtime.image_hash = image_hash
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
    linker, pre = _link(engine, module, path, deterministic)
    _store_cached(module, preinit_key)
    runtime = Runtime(engine, module, linker, pre, fuel=fuel, preinitialised=True, image_path=path,
                      pooled=pooled, epoch=epoch, deterministic=deterministic)
    runtime.cache_key = preinit_key
    runtime.image_hash = image_hash
    return runtime


# -- pre-initialisation ----------------------------------------------------------


def preinitialise(runtime: Runtime, data: bytes) -> bytes | None:
    """A copy of the image whose memory starts as it is after `mpw_init`, or None if unsupported."""
    try:
        sections = _wasm_binary.sections(data)
    except (ValueError, IndexError):
        return None
    export_names = {e.name for e in runtime.module.exports}
    if not {"_initialize", "mpw_set_heap_max"} <= export_names or not _wasm_binary.can_preinitialise(sections):
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
    return _wasm_binary.with_memory(sections, memory)
