"""The compiled-image cache: nothing on disk runs unless this user's process wrote it, unchanged.

Each attack plants native code (a module compiled for the runner's engine
whose mpw_exec prints PLANTED) where the runner looks for its cached image,
and checks that a new host process ignores it and runs the real interpreter.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import wasmtime

from micropython_wasi import Mount, MountError, Sandbox, _engine, _runtime

RUN_ONCE = "import micropython_wasi as m\nprint(m.run('print(6 * 7)').stdout, end='')"
NO_COMPILING = (
    "from micropython_wasi import _runtime\n"
    "def refuse(*args, **kwargs):\n"
    "    raise AssertionError('compiled an image although the cache had it')\n"
    "_runtime._compile = refuse\n"
)

# Looks enough like an image for the runner to use it; its mpw_exec writes
# PLANTED to stdout through the host's write import.
PLANTED_WAT = """
(module
  (import "micropython_wasi" "write" (func $write (param i32 i32 i32)))
  (memory (export "memory") 64)
  (data (i32.const 1024) "PLANTED\\n")
  (func (export "mpw_init") (param i32 i32) (result i32) (i32.const 0))
  (func (export "mpw_set_heap_max") (param i32))
  (func (export "mpw_buffer") (param i32) (result i32) (i32.const 4096))
  (func (export "mpw_exec") (param i32 i32 i64) (result i32)
    (call $write (i32.const 1) (i32.const 1024) (i32.const 8))
    (i32.const 0)))
"""


def python(code: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MICROPY_WASI_CACHE_DIR=str(cache))
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)


def engine() -> wasmtime.Engine:
    """The engine a default run() uses (no fuel, a time limit), unpooled."""
    found = _engine.get_engine(False, pooled=False, epoch=True)
    assert found is not None
    return found


def planted_module() -> bytes:
    """Native code compiled for that engine, in wasmtime's serialised form."""
    return bytes(wasmtime.Module(engine(), PLANTED_WAT).serialize())


def key(image_path: Path) -> str:
    """The cache key under which a default run() looks for its compiled image."""
    import hashlib

    image_hash = hashlib.sha256(image_path.read_bytes()).hexdigest()
    return _runtime._cache_key(image_hash, False, b"preinitialised", True)


def loads_planted_code(image_path: Path) -> bool:
    """Whether the runner would take what is planted in the cache (in this process)."""
    return _runtime._load_cached(engine(), key(image_path)) is not None


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache directory, in use by this process."""
    directory = tmp_path / "cache"
    directory.mkdir(mode=0o700)
    monkeypatch.setenv("MICROPY_WASI_CACHE_DIR", str(directory))
    return directory


def assert_real_interpreter(result: subprocess.CompletedProcess[str]) -> None:
    assert "PLANTED" not in result.stdout, "the host ran native code planted in its cache"
    assert result.returncode == 0 and result.stdout == "42\n", result.stderr


@pytest.mark.slow
def test_native_code_planted_in_the_cache_is_not_run_by_a_new_process(tmp_path: Path, image_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    (cache / f"{key(image_path)}.cwasm").write_bytes(planted_module())
    assert_real_interpreter(python(RUN_ONCE, cache))


def test_native_code_planted_in_the_cache_is_not_loaded(cache: Path, image_path: Path) -> None:
    (cache / f"{key(image_path)}.cwasm").write_bytes(planted_module())
    assert not loads_planted_code(image_path)


def test_an_entry_changed_after_it_was_written_is_not_loaded(cache: Path, image_path: Path) -> None:
    module = wasmtime.Module(engine(), PLANTED_WAT)
    _runtime._store_cached(module, key(image_path))
    assert loads_planted_code(image_path)  # what this process wrote is used
    target = cache / f"{key(image_path)}.cwasm"
    genuine = target.read_bytes()
    other = bytes(wasmtime.Module(engine(), PLANTED_WAT.replace("PLANTED", "CHANGED")).serialize())
    # The header of the genuine entry on other code, a bit flipped, a zero MAC.
    flipped = bytearray(genuine)
    flipped[len(genuine) // 2] ^= 1
    for forged in (genuine[:40] + other, bytes(flipped), genuine[:8] + bytes(32) + genuine[40:], genuine[:-1]):
        target.write_bytes(forged)
        assert not loads_planted_code(image_path)
    # An entry is bound to its name: a genuine entry copied under another name is refused too.
    target.write_bytes(genuine)
    renamed = key(image_path)[:-1] + ("1" if key(image_path).endswith("0") else "0")
    (cache / f"{renamed}.cwasm").write_bytes(genuine)
    assert _runtime._load_cached(engine(), renamed) is None


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_a_directory_others_may_write_is_not_used(cache: Path, image_path: Path, mode: int) -> None:
    # E.g. a shared /tmp directory made by someone else, before this user's first run.
    os.chmod(cache, mode)
    (cache / f"{key(image_path)}.cwasm").write_bytes(planted_module())
    with pytest.warns(RuntimeWarning, match=f"not using the cache directory .*mode {mode:o}"):
        assert not loads_planted_code(image_path)
    assert not (cache / "secret.key").exists()


def test_the_warning_comes_once(cache: Path, image_path: Path) -> None:
    import warnings

    os.chmod(cache, 0o777)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(3):
            assert not loads_planted_code(image_path)
            _runtime._store_cached(wasmtime.Module(engine(), PLANTED_WAT), key(image_path))
    assert [str(w.message).count("not using the cache directory") for w in caught] == [1]
    assert list(cache.iterdir()) == []


@pytest.mark.slow
def test_a_process_runs_without_the_refused_cache(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    os.chmod(shared, 0o777)
    result = python(RUN_ONCE + "\n" + RUN_ONCE.splitlines()[1].replace("6 * 7", "7 * 6"), shared)
    assert result.returncode == 0 and result.stdout == "42\n42\n", result.stderr
    assert result.stderr.count("not using the cache directory") == 1, result.stderr
    assert list(shared.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give files away")
def test_a_directory_of_another_user_is_not_used(cache: Path, image_path: Path) -> None:
    os.chmod(cache, 0o755)
    (cache / f"{key(image_path)}.cwasm").write_bytes(planted_module())
    os.chown(cache, 65534, 65534)
    with pytest.warns(RuntimeWarning, match="belongs to user id 65534"):
        assert not loads_planted_code(image_path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give files away")
def test_an_entry_of_another_user_is_not_used(cache: Path, image_path: Path) -> None:
    _runtime._store_cached(wasmtime.Module(engine(), PLANTED_WAT), key(image_path))
    os.chown(cache / f"{key(image_path)}.cwasm", 65534, 65534)
    assert not loads_planted_code(image_path)


def test_an_entry_others_may_write_is_not_used(cache: Path, image_path: Path) -> None:
    _runtime._store_cached(wasmtime.Module(engine(), PLANTED_WAT), key(image_path))
    os.chmod(cache / f"{key(image_path)}.cwasm", 0o666)
    assert not loads_planted_code(image_path)


def test_links_in_the_cache_are_not_followed(cache: Path, tmp_path: Path, image_path: Path) -> None:
    _runtime._store_cached(wasmtime.Module(engine(), PLANTED_WAT), key(image_path))
    target = cache / f"{key(image_path)}.cwasm"
    os.rename(target, tmp_path / "elsewhere")
    os.symlink(tmp_path / "elsewhere", target)
    assert not loads_planted_code(image_path)


def test_the_key_and_entries_are_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, image_path: Path) -> None:
    cache = tmp_path / "new" / "cache"
    monkeypatch.setenv("MICROPY_WASI_CACHE_DIR", str(cache))
    _runtime._store_cached(wasmtime.Module(engine(), PLANTED_WAT), key(image_path))
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    secret = cache / "secret.key"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600 and secret.stat().st_size == 32
    assert sorted(p.name for p in cache.iterdir()) == sorted(["secret.key", f"{key(image_path)}.cwasm"])
    for path in cache.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_key_others_may_read_disables_the_cache(cache: Path, image_path: Path) -> None:
    secret = cache / "secret.key"
    secret.write_bytes(bytes(32))  # e.g. planted, so that the planter can sign entries
    os.chmod(secret, 0o644)
    with pytest.warns(RuntimeWarning, match="secret.key has mode 644"):
        _runtime._store_cached(wasmtime.Module(engine(), PLANTED_WAT), key(image_path))
    assert not loads_planted_code(image_path)
    assert not (cache / f"{key(image_path)}.cwasm").exists()


def snapshot_name(image_path: Path) -> str:
    """The file name of the pre-initialised copy of the image (engine-independent wasm)."""
    import hashlib

    return _runtime._cache_key(hashlib.sha256(image_path.read_bytes()).hexdigest(), False, b"snapshot") + ".wasm"


def test_a_planted_pre_initialised_image_is_not_loaded(cache: Path, image_path: Path) -> None:
    from micropython_wasi import _cache

    (cache / snapshot_name(image_path)).write_bytes(wasmtime.wat2wasm(PLANTED_WAT))
    assert _cache.load(snapshot_name(image_path)) is None
    _cache.store(snapshot_name(image_path), b"\0asm genuine")
    assert _cache.load(snapshot_name(image_path)) == b"\0asm genuine"


@pytest.mark.slow
def test_a_planted_pre_initialised_image_is_not_run_by_a_new_process(tmp_path: Path, image_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    (cache / snapshot_name(image_path)).write_bytes(wasmtime.wat2wasm(PLANTED_WAT))
    assert_real_interpreter(python(RUN_ONCE, cache))


@pytest.mark.parametrize(("make", "message"), [
    (lambda key: key.write_bytes(b"short") and key.chmod(0o600), "is damaged"),
    (lambda key: key.write_bytes(bytes(100)) and key.chmod(0o600), "is too large"),
    (lambda key: key.mkdir(mode=0o700), "is not a regular file"),
    (lambda key: os.symlink("/dev/zero", key), "cannot be opened"),
])
def test_a_strange_key_disables_the_cache(cache: Path, image_path: Path, make: Any, message: str) -> None:
    make(cache / "secret.key")
    with pytest.warns(RuntimeWarning, match=f"secret.key {message}"):
        assert not loads_planted_code(image_path)


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory with the compiled image in it (made once: compiling takes seconds)."""
    directory = tmp_path_factory.mktemp("warm") / "cache"
    assert python(RUN_ONCE, directory).stdout == "42\n"
    return directory


def test_truncating_the_cached_file_does_not_crash_the_host(warm_cache: Path, tmp_path: Path,
                                                             image_path: Path) -> None:
    """A guest (or anyone) truncating the compiled image while a host uses it: no SIGBUS."""
    cache = tmp_path / "cache"
    shutil.copytree(warm_cache, cache)
    target = cache / f"{key(image_path)}.cwasm"
    code = (
        "import micropython_wasi as m\n"
        "m.run('pass')\n"
        f"open({str(target)!r}, 'r+b').truncate(0)\n"
        "r = m.run('import json, re\\nprint(json.dumps({\"a\": [1, 2.5]}), re.sub(\"a\", \"b\", \"aa\"))')\n"
        "print(r.stdout, end='')\n"
    )
    result = python(NO_COMPILING + code, cache)
    assert result.returncode == 0, (result.returncode, result.stderr)
    assert result.stdout == '{"a": [1, 2.5]} bb\n'


def test_a_writable_mount_holding_the_cache_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A guest that could write the cache could replace the native code of the next host process."""
    home = tmp_path / "home"
    cache = home / ".cache" / "micropython-wasi"
    cache.mkdir(parents=True)
    monkeypatch.setenv("MICROPY_WASI_CACHE_DIR", str(cache))
    for writable in (home, home / ".cache", cache):
        with pytest.raises(MountError, match="overlaps the compiled-image cache"):
            Sandbox(mounts={"/home": Mount(writable, writable=True)})
    # Through another name of the same directory, too.
    os.symlink(home, tmp_path / "alias")
    with pytest.raises(MountError, match="overlaps the compiled-image cache"):
        Sandbox(mounts={"/home": Mount(tmp_path / "alias", writable=True)})
    (home / "work").mkdir()
    with Sandbox(mounts={"/home": home, "/work": Mount(home / "work", writable=True)}) as box:
        assert box.run("print(1)").stdout == "1\n"


def test_a_writable_mount_holding_the_package_is_refused() -> None:
    import micropython_wasi

    package = Path(micropython_wasi.__file__).resolve().parent
    with pytest.raises(MountError, match="overlaps the micropython_wasi package"):
        Sandbox(mounts={"/pkg": Mount(package.parent, writable=True)})
    with Sandbox(mounts={"/pkg": package}) as box:  # read-only is fine
        assert box.run("import os\nprint('image' in os.listdir('/pkg'))").stdout == "True\n"
