"""Fast start: the compiled-image disk cache and the pre-initialised image."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
import wasmtime

import micropython_wasi
from micropython_wasi import _cache, _engine, _guest, _runtime, _wasm_binary

RUN_ONCE = "import micropython_wasi as m\nprint(m.run('print(6 * 7)').stdout, end='')"
NO_COMPILING = (
    "import wasmtime\n"
    "from micropython_wasi import _runtime\n"
    "def refuse(*args, **kwargs):\n"
    "    raise AssertionError('compiled an image although the cache had it')\n"
    "_runtime._compile = refuse\n"
    "wasmtime.Module.__init__ = refuse\n"
)


def python(code: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MICROPY_WASI_CACHE_DIR=str(cache))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)


def test_a_second_process_loads_the_compiled_image_from_disk(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = python(RUN_ONCE, cache)
    assert first.returncode == 0 and first.stdout == "42\n", first.stderr
    compiled = sorted(cache.glob("*.cwasm"))
    assert len(compiled) == 1 and len(list(cache.glob("*.wasm"))) == 1
    stamp = compiled[0].stat().st_mtime_ns

    second = python(NO_COMPILING + RUN_ONCE, cache)
    assert second.returncode == 0 and second.stdout == "42\n", second.stderr
    assert sorted(cache.glob("*.cwasm")) == compiled and compiled[0].stat().st_mtime_ns == stamp

    # Another engine configuration (fuel metering) compiles the pre-initialised
    # image made by the first process, once; then it is cached too.
    with_fuel = "import micropython_wasi as m\nprint(m.run('print(1)', fuel=10**7).stdout, end='')"
    assert python(with_fuel, cache).stdout == "1\n"
    assert len(list(cache.glob("*.cwasm"))) == 2
    assert python(NO_COMPILING + with_fuel, cache).stdout == "1\n"


def test_a_damaged_cache_file_is_replaced(tmp_path: Path, image_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A compiled image that does not load is made again from the pre-initialised image and
    stored over the damaged one. (Compiling is replaced by this process's compiled image: what
    is tested is what happens around it, not wasmtime's compiler.)"""
    compiled = _runtime.get_runtime(image_path, False).module  # (from the usual cache)
    private_cache = tmp_path / "cache"
    monkeypatch.setenv("MICROPY_WASI_CACHE_DIR", str(private_cache))
    image_hash = hashlib.sha256(image_path.read_bytes()).hexdigest()
    key = _runtime._cache_key(image_hash, False, b"preinitialised")
    snapshot = b"the pre-initialised image"
    _cache.store(f"{_runtime._cache_key(image_hash, False, b'snapshot')}.wasm", snapshot)
    compiles: list[bytes] = []

    def compile_snapshot(engine: wasmtime.Engine, data: bytes, path: Path) -> wasmtime.Module:
        compiles.append(data)
        return compiled

    monkeypatch.setattr(_runtime, "_compile", compile_snapshot)
    target = private_cache / f"{key}.cwasm"
    # Damaged on disk (its MAC fails), or intact but not a module for this engine (deserialising fails).
    for damage in (lambda: target.write_bytes(b"not a compiled module"), lambda: _cache.store(target.name, b"junk")):
        damage()
        damaged = target.read_bytes()
        runtime = _runtime._make_runtime(image_path, False, True, False)
        assert runtime.preinitialised and runtime.module is compiled
        assert compiles.pop() == snapshot
        assert target.read_bytes() != damaged
        assert _runtime._load_cached(runtime.engine, key) is not None


def test_an_unwritable_cache_directory_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       image_path: Path) -> None:
    runtime = _runtime.get_runtime(image_path, False)  # (from the usual cache)
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would be")
    monkeypatch.setenv("MICROPY_WASI_CACHE_DIR", str(blocker / "cache"))
    with pytest.warns(RuntimeWarning, match=r"not using the cache directory .*file/cache: it cannot be created"):
        assert _runtime._load_cached(runtime.engine, "entry") is None
    _runtime._store_cached(runtime.module, "entry")
    _cache.discard("entry.cwasm")
    assert _cache.load("entry.cwasm") is None
    assert blocker.read_text() == "a file where the cache directory would be"


def test_cache_keys_depend_on_image_and_engine_settings() -> None:
    keys = {
        _runtime._cache_key("a" * 64, False, b"preinitialised"),
        _runtime._cache_key("b" * 64, False, b"preinitialised"),
        _runtime._cache_key("a" * 64, True, b"preinitialised"),
        _runtime._cache_key("a" * 64, False, b"plain"),
    }
    assert len(keys) == 4


def test_the_pre_initialised_image_starts_exactly_where_initialisation_ends(image_path: Path) -> None:
    """Memory of a fresh instance of the pre-initialised image equals that of
    the original image after libc's constructors and mpw_init."""
    runtime = _runtime.get_runtime(image_path, False)
    assert runtime.preinitialised
    engine = _engine.get_engine(False, pooled=False)
    assert engine is not None
    plain_module = wasmtime.Module(engine, image_path.read_bytes())
    linker, pre = _runtime._link(engine, plain_module, image_path)
    plain = _runtime.Runtime(engine, plain_module, linker, pre, fuel=False, preinitialised=False,
                             image_path=image_path)

    original = _guest.Guest(plain, 64 * 1024 * 1024, wasmtime.WasiConfig(), initialise=True)
    assert original.init(_guest.INITIAL_HEAP, _guest.INITIAL_HEAP) == 0
    restored = _guest.Guest(runtime, 64 * 1024 * 1024, wasmtime.WasiConfig())
    size = original.memory_size()
    assert restored.memory_size() == size
    assert restored.read_memory(0, size) == original.read_memory(0, size)
    original.close()
    restored.close()
    # A closed interpreter is the host's condition, not a trap.
    with pytest.raises(micropython_wasi.SandboxClosedError, match="the interpreter is closed"):
        original.memory_size()


def test_fresh_interpreters_from_the_snapshot_are_independent() -> None:
    # Each run starts from the same state: nothing leaks through the snapshot.
    outputs = {micropython_wasi.run("import random\nprint(random.getrandbits(30))").stdout for _ in range(5)}
    assert len(outputs) > 1  # seeded from WASI randomness at first use, not frozen in the snapshot
    assert micropython_wasi.run("import sys\nprint(len(sys.modules))").stdout == \
        micropython_wasi.run("import sys\nprint(len(sys.modules))").stdout


def test_modules_that_cannot_be_pre_initialised_are_recognised(image_path: Path) -> None:
    sections = _wasm_binary.sections(image_path.read_bytes())
    assert _wasm_binary.can_preinitialise(sections)
    assert not _wasm_binary.can_preinitialise(_wasm_binary.sections(b"\0asm\x01\0\0\0"))  # no memory
    # A second mutable global (its value would not be in the snapshot).
    globals_section = bytes([2, 0x7F, 1, 0x41, 0, 0x0B, 0x7F, 1, 0x41, 0, 0x0B])
    patched = [(6, globals_section) if section_id == 6 else (section_id, body) for section_id, body in sections]
    assert not _wasm_binary.can_preinitialise(patched)
    # A passive data segment (initialised by code, not at instantiation).
    assert not _wasm_binary.can_preinitialise([(5, b"\x01\x00\x01"), (11, b"\x01\x01\x00")])
    with pytest.raises(ValueError):
        _wasm_binary.sections(b"not wasm")


def test_data_segments_cover_exactly_the_non_zero_bytes() -> None:
    memory = bytes(100) + b"abc" + bytes(10) + b"de" + bytes(200) + b"f" + bytes(5)
    segments = _wasm_binary.data_segments(memory)
    rebuilt = bytearray(len(memory))
    for offset, chunk in segments:
        rebuilt[offset:offset + len(chunk)] = chunk
    assert bytes(rebuilt) == memory
    assert len(segments) == 2  # a short run of zeros does not split a segment
