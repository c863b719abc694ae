"""The compiled-image cache: nothing on disk runs unless this user's process wrote it, unchanged.

Each attack plants native code (a module compiled for the runner's engine
whose mpw_exec prints PLANTED) where the runner looks for its cached image,
and checks that a new host process ignores it and runs the real interpreter.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import wasmtime

from micropython_wasi import Mount, MountError, Sandbox, _runtime

RUN_ONCE = "import micropython_wasi as m\nprint(m.run('print(6 * 7)').stdout, end='')"

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


def planted_module() -> bytes:
    """Native code compiled for the engine a default run() uses (no fuel, a time limit)."""
    engine = _runtime.get_engine(False, pooled=False, epoch=True)
    assert engine is not None
    return bytes(wasmtime.Module(engine, PLANTED_WAT).serialize())


def entry(image_path: Path) -> str:
    """The file name under which a default run() looks for its compiled image."""
    import hashlib

    image_hash = hashlib.sha256(image_path.read_bytes()).hexdigest()
    return _runtime._cache_key(image_hash, False, b"preinitialised", True) + ".cwasm"


def assert_real_interpreter(result: subprocess.CompletedProcess[str]) -> None:
    assert "PLANTED" not in result.stdout, "the host ran native code planted in its cache"
    assert result.returncode == 0 and result.stdout == "42\n", result.stderr


def test_native_code_planted_in_the_cache_is_not_run(tmp_path: Path, image_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    (cache / entry(image_path)).write_bytes(planted_module())
    assert_real_interpreter(python(RUN_ONCE, cache))


def test_an_entry_changed_after_it_was_written_is_not_run(tmp_path: Path, image_path: Path) -> None:
    cache = tmp_path / "cache"
    assert python(RUN_ONCE, cache).stdout == "42\n"
    target = cache / entry(image_path)
    original = target.read_bytes()
    # The header of a genuine entry on planted code, and the planted code with a wrong MAC.
    for forged in (original[:40] + planted_module(), b"MPWCACHE" + bytes(32) + planted_module()):
        target.write_bytes(forged)
        assert_real_interpreter(python(RUN_ONCE, cache))
        assert target.read_bytes() != forged  # replaced by a genuine one


@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722])
def test_a_directory_others_may_write_is_not_used(tmp_path: Path, image_path: Path, mode: int) -> None:
    # E.g. a shared /tmp directory made by someone else, before this user's first run.
    cache = tmp_path / "shared"
    cache.mkdir()
    os.chmod(cache, mode)
    (cache / entry(image_path)).write_bytes(planted_module())
    result = python(RUN_ONCE, cache)
    assert_real_interpreter(result)
    assert "not using the cache directory" in result.stderr and f"mode {mode:o}" in result.stderr
    assert result.stderr.count("not using the cache directory") == 1
    assert not (cache / "secret.key").exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give files away")
def test_a_directory_of_another_user_is_not_used(tmp_path: Path, image_path: Path) -> None:
    cache = tmp_path / "theirs"
    cache.mkdir(mode=0o755)
    (cache / entry(image_path)).write_bytes(planted_module())
    os.chown(cache, 65534, 65534)
    result = python(RUN_ONCE, cache)
    assert_real_interpreter(result)
    assert "belongs to user id 65534" in result.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give files away")
def test_an_entry_of_another_user_is_not_used(tmp_path: Path, image_path: Path) -> None:
    cache = tmp_path / "cache"
    assert python(RUN_ONCE, cache).stdout == "42\n"
    target = cache / entry(image_path)
    os.chown(target, 65534, 65534)
    again = python(RUN_ONCE, cache)
    assert again.returncode == 0 and again.stdout == "42\n", again.stderr
    assert target.stat().st_uid == os.geteuid()  # replaced by this user's own


def test_links_in_the_cache_are_not_followed(tmp_path: Path, image_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    elsewhere = tmp_path / "planted.cwasm"
    elsewhere.write_bytes(planted_module())
    os.symlink(elsewhere, cache / entry(image_path))
    assert_real_interpreter(python(RUN_ONCE, cache))


def test_the_key_and_entries_are_private(tmp_path: Path) -> None:
    cache = tmp_path / "new" / "cache"
    assert python(RUN_ONCE, cache).stdout == "42\n"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    key = cache / "secret.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and key.stat().st_size == 32
    for path in cache.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_key_others_may_read_disables_the_cache(tmp_path: Path, image_path: Path) -> None:
    cache = tmp_path / "cache"
    assert python(RUN_ONCE, cache).stdout == "42\n"
    os.chmod(cache / "secret.key", 0o644)
    (cache / entry(image_path)).write_bytes(planted_module())
    result = python(RUN_ONCE, cache)
    assert_real_interpreter(result)
    assert "secret.key has mode 644" in result.stderr


def test_truncating_the_cached_file_does_not_crash_the_host(tmp_path: Path, image_path: Path) -> None:
    """A guest (or anyone) truncating the compiled image while a host uses it: no SIGBUS."""
    cache = tmp_path / "cache"
    assert python(RUN_ONCE, cache).stdout == "42\n"
    target = cache / entry(image_path)
    code = (
        "import micropython_wasi as m\n"
        "m.run('pass')\n"
        f"open({str(target)!r}, 'r+b').truncate(0)\n"
        "r = m.run('import json, re\\nprint(json.dumps({\"a\": [1, 2.5]}), re.sub(\"a\", \"b\", \"aa\"))')\n"
        "print(r.stdout, end='')\n"
    )
    result = python(code, cache)
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
