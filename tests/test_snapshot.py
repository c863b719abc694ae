"""Snapshots, forks and deterministic runs: Sandbox.snapshot/restore/from_snapshot/fork, deterministic=."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import struct
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path
from typing import Any, Callable

import pytest

from micropython_wasi import OptionError, Sandbox, SandboxClosedError, SnapshotError
from micropython_wasi.errors import FuelExhausted

KEY = b"k" * 32
SETUP = """
import json, sys, host
class Counter:
    def __init__(self):
        self.n = 0
    def bump(self):
        self.n += 1
        return self.n
counter = Counter()
counter.bump()
table = {i: str(i) * 3 for i in range(2000)}
mod_id = id(sys.modules['json'])
"""
CHECK = """
import sys
print(counter.bump(), len(table), table[1999], id(sys.modules['json']) == mod_id, json.dumps([1]),
      sorted(host.functions()), twice(21))
"""


def twice(x: int) -> int:
    return 2 * x


def plus(x: int) -> int:
    return x + 1


def started() -> Sandbox:
    sandbox = Sandbox(host_functions={"twice": twice})
    sandbox.run(SETUP).check()
    return sandbox


def test_restore_continues_where_the_snapshot_was() -> None:
    with started() as sandbox:
        data = sandbox.snapshot()
        assert sandbox.run(CHECK).stdout == "2 2000 199919991999 True [1] ['twice'] 42\n"
        with Sandbox.from_snapshot(data, host_functions={"twice": twice}) as copy:
            # The counter is at its value of the snapshot (1), not of the original now (2).
            assert copy.run(CHECK).stdout == "2 2000 199919991999 True [1] ['twice'] 42\n"
            assert copy.run("print(counter.bump())").stdout == "3\n"
        # restore() in place: the original goes back to the snapshot's state.
        sandbox.run("counter = None; del table")
        sandbox.restore(data)
        assert sandbox.run(CHECK).stdout == "2 2000 199919991999 True [1] ['twice'] 42\n"


def test_compressed_snapshot_is_smaller_and_restores() -> None:
    with started() as sandbox:
        plain, packed = sandbox.snapshot(), sandbox.snapshot(compress=True)
        assert len(packed) < len(plain) / 2
        with Sandbox.from_snapshot(packed, host_functions={"twice": twice}) as copy:
            assert copy.run("print(counter.n, len(table))").stdout == "1 2000\n"


def test_unused_memory_is_not_stored() -> None:
    with Sandbox(memory_limit=64 << 20) as sandbox:
        small = len(sandbox.snapshot())
        sandbox.run("big = bytearray(8 * 1024 * 1024)\nbig[-1] = 1").check()  # 8 MiB, almost all zero
        assert sandbox.run("print(len(big))").stdout == "8388608\n"
        grown = sandbox.snapshot()
        assert len(grown) - small < 256 * 1024
        with Sandbox.from_snapshot(grown, memory_limit=64 << 20) as copy:
            assert copy.run("print(len(big), big[-1], big[0])").stdout == "8388608 1 0\n"


def test_restoring_sandbox_registers_its_other_host_functions() -> None:
    with started() as sandbox:
        data = sandbox.snapshot()
    with Sandbox.from_snapshot(data, host_functions={"twice": twice, "plus": plus}) as copy:
        assert copy.run("print(sorted(host.functions()), plus(twice(2)))").stdout == "['plus', 'twice'] 5\n"


def test_missing_host_function_is_refused() -> None:
    with started() as sandbox:
        data = sandbox.snapshot()
    with Sandbox(host_functions={"plus": plus}) as other:
        other.run("kept = 7")
        with pytest.raises(SnapshotError, match="host functions this Sandbox does not provide: twice"):
            other.restore(data)
        assert other.run("print(kept)").stdout == "7\n"


def test_fork_copies_the_state_and_is_independent() -> None:
    with started() as sandbox:
        sandbox.register_function(plus)
        child = sandbox.fork()
        with child:
            assert child.host_functions == sandbox.host_functions
            assert child.run(CHECK).stdout == "2 2000 199919991999 True [1] ['plus', 'twice'] 42\n"
            child.run("table.clear(); counter.bump()")
            assert sandbox.run("print(counter.n, len(table), plus(1))").stdout == "1 2000 2\n"
            assert child.run("print(counter.n, len(table))").stdout == "3 0\n"
        grandchild = sandbox.fork()
        sandbox.close()
        with grandchild:
            assert grandchild.run("print(counter.n)").stdout == "1\n"


def test_fork_keeps_the_options() -> None:
    with Sandbox(fuel=10**6, timeout=5) as sandbox:
        sandbox.run("x = 1")
        with sandbox.fork() as child:
            assert (child.fuel, child.timeout, child.memory_limit) == (10**6, 5, sandbox.memory_limit)
            with pytest.raises(FuelExhausted):
                child.run("while True: pass")
        assert sandbox.run("print(x)").stdout == "1\n"


def test_a_stopped_sandbox_can_be_restored() -> None:
    with Sandbox(fuel=10**6) as sandbox:
        sandbox.run("x = 41")
        data = sandbox.snapshot()
        with pytest.raises(FuelExhausted):
            sandbox.run("while True: pass")
        with pytest.raises(SandboxClosedError):
            sandbox.snapshot()
        sandbox.restore(data)
        assert sandbox.run("print(x + 1)").stdout == "42\n"


def test_snapshot_restore_fork_are_refused_during_a_run() -> None:
    errors: list[str] = []
    sandbox = Sandbox()

    def inside(what: str) -> None:
        try:
            {"snapshot": sandbox.snapshot, "fork": sandbox.fork, "restore": lambda: sandbox.restore(data)}[what]()
        except SnapshotError as exc:
            errors.append(str(exc))

    with sandbox:
        data = sandbox.snapshot()
        sandbox.register_function(inside)
        sandbox.run("inside('snapshot'); inside('fork'); inside('restore')").check()
    assert len(errors) == 3 and all("runs code" in e for e in errors), errors


def _across_processes(tmp_path: Path) -> str:
    """Snapshot in one process, restore in another; returns the restoring program."""
    path = tmp_path / "session.snap"
    take = f"""
import sys
from micropython_wasi import Sandbox
def twice(x): return 2 * x
with Sandbox(host_functions={{"twice": twice}}, snapshot_key={KEY!r}) as s:
    s.run({SETUP!r}).check()
    open({str(path)!r}, "wb").write(s.snapshot())
"""
    restore = f"""
from micropython_wasi import Sandbox
def twice(x): return 2 * x
with Sandbox.from_snapshot(open({str(path)!r}, "rb").read(), host_functions={{"twice": twice}},
                           snapshot_key={KEY!r}) as s:
    print(s.run({CHECK!r}).stdout, end="")
"""
    for code in (take, restore):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    assert done.stdout == "2 2000 199919991999 True [1] ['twice'] 42\n"
    return restore


def test_snapshot_across_processes(tmp_path: Path) -> None:
    """Taken in one process, restored in another (the interpreter's state is bytes, nothing else)."""
    _across_processes(tmp_path)


@pytest.mark.slow
def test_snapshot_restores_with_a_fresh_cache(tmp_path: Path) -> None:
    """As on another machine: the restoring process compiles and pre-initialises the image itself."""
    restore = _across_processes(tmp_path)
    env = {**os.environ, "MICROPY_WASI_CACHE_DIR": str(tmp_path / "fresh-cache")}
    done = subprocess.run([sys.executable, "-c", restore], capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "2 2000 199919991999 True [1] ['twice'] 42\n"


# -- bad input ------------------------------------------------------------------------


def _forge(data: bytes, edit: Callable[[dict[str, Any]], None], payload: bytes | None = None,
           flags: int | None = None, key: bytes = KEY) -> bytes:
    """A snapshot with edited metadata (and data), signed with `key`: it passes the signature check."""
    magic, version, old_flags, meta_len, data_len = struct.unpack_from("<8sHHIQ", data)
    meta = json.loads(data[24:24 + meta_len])
    edit(meta)
    raw_meta = json.dumps(meta).encode()
    if payload is None:
        payload = data[24 + meta_len:24 + meta_len + data_len]
    body = struct.pack("<8sHHIQ", magic, version, old_flags if flags is None else flags, len(raw_meta),
                       len(payload)) + raw_meta + payload
    return body + hmac.new(key, body, hashlib.sha256).digest()


@pytest.fixture(scope="module")
def signed() -> bytes:
    with Sandbox(snapshot_key=KEY, deterministic=True) as sandbox:
        sandbox.run("x = 'kept'")
        return sandbox.snapshot()


def _set(field: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda meta: meta.__setitem__(field, value)


BAD = {
    "not bytes": (lambda d: "text", "a snapshot is bytes"),
    "empty": (lambda d: b"", "not a micropython-wasi snapshot"),
    "wrong magic": (lambda d: b"XPWSNAP\0" + d[8:], "not a micropython-wasi snapshot"),
    "newer version": (lambda d: d[:8] + b"\x02\x00" + d[10:], "format version 2 is not supported"),
    "unknown flags": (lambda d: d[:10] + b"\x41\x00" + d[12:], "unknown flags"),
    "truncated": (lambda d: d[:-1], "truncated"),
    "truncated in the header": (lambda d: d[:20], "not a micropython-wasi snapshot"),
    "cut in half": (lambda d: d[:len(d) // 2], "truncated"),
    "trailing bytes": (lambda d: d + b"\0", "too long"),
    "altered memory": (lambda d: d[:-100] + bytes([d[-100] ^ 1]) + d[-99:], "signature does not verify"),
    "altered metadata": (lambda d: d[:30] + bytes([d[30] ^ 1]) + d[31:], "signature does not verify"),
    "wrong key": (lambda d: _forge(d, lambda m: None, key=b"x" * 32), "signature does not verify"),
    "another image": (lambda d: _forge(d, _set("image", "0" * 64)), "taken with another image"),
    "another base": (lambda d: _forge(d, _set("base", "0" * 64)), "another start-up state"),
    "metadata emptied": (lambda d: _forge(d, lambda m: m.clear()), "another image"),
    "memory size not pages": (lambda d: _forge(d, _set("memory_size", 65537 * 8)), "memory size 524296"),
    "memory size too small": (lambda d: _forge(d, _set("memory_size", 65536)), "memory size 65536"),
    "memory size a string": (lambda d: _forge(d, _set("memory_size", "1")), "memory size '1'"),
    "memory over the limit": (lambda d: _forge(d, _set("memory_size", 1 << 30)), "more than memory_limit"),
    "run outside memory": (lambda d: _forge(d, lambda m: m["runs"].append([m["memory_size"], 4096])),
                           "outside its memory"),
    "runs overlapping": (lambda d: _forge(d, lambda m: m["runs"].append(m["runs"][-1])), "out of order"),
    "run negative": (lambda d: _forge(d, lambda m: m["runs"].insert(0, [-4096, 4096])), "out of order"),
    "runs not a list": (lambda d: _forge(d, _set("runs", {"a": 1})), "memory runs is missing"),
    "data shorter than runs": (lambda d: _forge(d, lambda m: m["runs"][-1].__setitem__(1, m["runs"][-1][1] - 4096)
                                                if m["runs"][-1][1] > 4096 else m["runs"].pop()),
                               "where its runs need"),
    "bad function name": (lambda d: _forge(d, _set("functions", ["os.system"])), "invalid host function"),
    "functions not a list": (lambda d: _forge(d, _set("functions", "twice")), "host function names is missing"),
    "world not valid": (lambda d: _forge(d, _set("world", {"clock_ns": -1})), "clock and random state"),
    "world negative": (lambda d: _forge(d, lambda m: m["world"].__setitem__("position", -5)),
                       "clock and random state"),
    "compressed flag on raw data": (lambda d: _forge(d, lambda m: None, flags=3), "compressed memory is damaged"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_snapshot_is_refused_and_nothing_is_lost(signed: bytes, case: str) -> None:
    damage, message = BAD[case]
    with Sandbox(snapshot_key=KEY, deterministic=True) as sandbox:
        sandbox.run("y = 'mine'")
        with pytest.raises(SnapshotError, match=message):
            sandbox.restore(damage(signed))
        assert sandbox.run("print(y)").stdout == "mine\n"
        sandbox.restore(signed)  # (the undamaged one restores)
        assert sandbox.run("print(x)").stdout == "kept\n"
    with pytest.raises(SnapshotError, match=message):
        Sandbox.from_snapshot(damage(signed), snapshot_key=KEY, deterministic=True)


def test_unsigned_snapshot_checksum_catches_damage() -> None:
    with Sandbox() as sandbox:
        sandbox.run("x = 1")
        data = sandbox.snapshot()
        for position in (30, len(data) // 2, len(data) - 5):
            damaged = data[:position] + bytes([data[position] ^ 0x10]) + data[position + 1:]
            with pytest.raises(SnapshotError, match="damaged"):
                sandbox.restore(damaged)
        with pytest.raises(SnapshotError, match="is signed: pass the snapshot_key"):
            sandbox.restore(_forge(data, lambda m: None, flags=1))
        assert sandbox.run("print(x)").stdout == "1\n"


def test_key_and_signature_must_agree() -> None:
    with Sandbox() as plain, Sandbox(snapshot_key=KEY) as keyed:
        with pytest.raises(SnapshotError, match="not signed, and this Sandbox has a snapshot_key"):
            keyed.restore(plain.snapshot())
        with pytest.raises(SnapshotError, match="is signed: pass the snapshot_key"):
            plain.restore(keyed.snapshot())


def test_memory_limit_too_small_for_the_snapshot() -> None:
    with Sandbox(memory_limit=64 << 20) as sandbox:
        sandbox.run("big = bytes(range(256)) * (32 * 1024)")  # 8 MiB that is not zeros
        data = sandbox.snapshot()
    with pytest.raises(SnapshotError, match="more than memory_limit=4194304: restore it into a Sandbox with a larger"):
        Sandbox.from_snapshot(data, memory_limit=4 << 20)


@pytest.mark.parametrize("options, message", [
    ({"snapshot_key": "secret-string-of-some-length"}, "snapshot_key must be bytes"),
    ({"snapshot_key": b"short"}, "at least 16"),
    ({"deterministic": 1}, "deterministic must be True or False"),
    ({"clock": -1.0}, "clock must be a start time"),
    ({"clock": "2000-01-01"}, "clock must be a start time"),
    ({"random_seed": -1}, "random_seed must be an int"),
    ({"random_seed": 1.5}, "random_seed must be an int"),
])
def test_bad_options(options: dict[str, Any], message: str) -> None:
    with pytest.raises(OptionError, match=message):
        Sandbox(**options)


# -- deterministic runs -----------------------------------------------------------------

PROGRAM = """
import time, random, os
t0 = time.ticks_ms()
time.sleep(2)
print(time.time(), time.ticks_diff(time.ticks_ms(), t0), time.localtime()[:3])
print(random.getrandbits(30), random.random(), os.urandom(8).hex())
print(sum(i * i for i in range(5000)), time.ticks_us())
"""


def _output(sandbox: Sandbox, program: str = PROGRAM) -> str:
    result = sandbox.run(program)
    result.check()
    return result.stdout


def test_deterministic_runs_are_byte_identical() -> None:
    outputs = []
    for _ in range(2):
        with Sandbox(deterministic=True) as sandbox:
            started = time.perf_counter()
            outputs.append(_output(sandbox) + _output(sandbox))
            assert time.perf_counter() - started < 2  # the two 2-second sleeps took no real time
    assert outputs[0] == outputs[1]
    first = outputs[0].splitlines()
    seconds, elapsed_ms, date = first[0].split(" ", 2)
    assert 946684802 <= float(seconds) < 946684803 and 2000 <= int(elapsed_ms) < 2100
    assert date == "(2000, 1, 1)"
    with Sandbox() as real_a, Sandbox() as real_b:
        assert _output(real_a).splitlines()[1] != _output(real_b).splitlines()[1]


def test_clock_and_random_seed_options() -> None:
    with Sandbox(clock=1.7e9, random_seed=5) as a, Sandbox(clock=1.7e9, random_seed=6) as b:
        out_a, out_b = _output(a).splitlines(), _output(b).splitlines()
    assert out_a[0] == out_b[0] and out_a[0].startswith("1700000002.")
    assert out_a[1] != out_b[1]
    with Sandbox(random_seed=5) as c:
        out_c = _output(c).splitlines()
    assert out_c[1] == out_a[1] and not out_c[0].startswith("1700000002.")  # a real clock


def test_deterministic_snapshot_restored_twice_continues_identically() -> None:
    with Sandbox(deterministic=True) as sandbox:
        _output(sandbox)
        data = sandbox.snapshot()
        continued = _output(sandbox)
    runs = []
    for _ in range(2):
        with Sandbox.from_snapshot(data, deterministic=True) as copy:
            runs.append(_output(copy))
    forks = []
    with Sandbox.from_snapshot(data, deterministic=True) as parent:
        for _ in range(2):
            with parent.fork() as child:
                forks.append(_output(child))
    assert runs[0] == runs[1] == continued == forks[0] == forks[1]


def test_deterministic_soft_timeout_counts_virtual_time() -> None:
    with Sandbox(deterministic=True, timeout=2) as sandbox:
        started = time.perf_counter()
        result = sandbox.run("import time\ntry:\n    time.sleep(100)\nexcept KeyboardInterrupt:\n"
                             "    print('interrupted')\nprint('alive')")
        assert result.stdout == "interrupted\nalive\n"
        assert time.perf_counter() - started < 1.5


def test_the_real_clock_keeps_running_without_deterministic() -> None:
    with Sandbox() as sandbox:
        before = time.time()
        assert abs(float(sandbox.run("import time; print(time.time())").stdout) - before) < 5


def test_deterministic_host_function_thread_safety() -> None:
    """Two deterministic sandboxes in two threads each see their own clock."""
    outputs: list[str] = []

    def work() -> None:
        with Sandbox(deterministic=True) as sandbox:
            outputs.append(_output(sandbox))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outputs) == 2 and outputs[0] == outputs[1]


@pytest.mark.slow
def test_snapshot_from_another_image_is_refused(tmp_path: Path, image_path: Path) -> None:
    # The same interpreter with a custom section: another image (another sha256).
    other = tmp_path / "other.wasm"
    name = b"micropython-wasi-test"
    section = bytes([len(name)]) + name + b"x"
    other.write_bytes(image_path.read_bytes() + b"\0" + bytes([len(section)]) + section)
    with Sandbox() as sandbox:
        data = sandbox.snapshot()
    with pytest.raises(SnapshotError, match="taken with another image"):
        Sandbox.from_snapshot(data, image=other)


def test_compressed_data_cannot_inflate_past_its_runs() -> None:
    with Sandbox(snapshot_key=KEY) as sandbox:
        data = sandbox.snapshot()
        bomb = zlib.compress(bytes(64 << 20), 9)  # 64 MiB of zeros in a few KiB
        with pytest.raises(SnapshotError, match="compressed memory is damaged|where its runs need"):
            sandbox.restore(_forge(data, lambda m: None, payload=bomb, flags=3))


def test_open_files_do_not_travel(tmp_path: Path) -> None:
    """As docs/api.md says: a file object left open has no descriptor in the restored Sandbox (EBADF),
    until the guest opens a file that gets the same descriptor number."""
    (tmp_path / "a.txt").write_text("hello\n")
    (tmp_path / "b.txt").write_text("other\n")
    mounts = {"/d": str(tmp_path)}
    with Sandbox(mounts=mounts) as sandbox:
        sandbox.run("f = open('/d/a.txt')\nprint(f.readline(), end='')").check()
        data = sandbox.snapshot()
        assert sandbox.run("print(f.read() == '')").stdout == "True\n"
    with Sandbox.from_snapshot(data, mounts=mounts) as copy:
        result = copy.run("try:\n    f.read()\nexcept OSError as e:\n    print(e.errno)\n"
                          "g = open('/d/b.txt')\nprint(f.read(), end='')")
        assert result.stdout == "9\nother\n"


def test_restoring_sandbox_options_decide_what_is_virtual() -> None:
    """A snapshot's clock and random stream continue only where the restoring Sandbox has them."""
    with Sandbox(deterministic=True) as sandbox:
        sandbox.run("import time; time.sleep(5)").check()
        data = sandbox.snapshot()
    with Sandbox.from_snapshot(data, random_seed=0) as real_clock:
        assert float(real_clock.run("print(time.time())").stdout) > 1.7e9  # its own, real clock
    with Sandbox.from_snapshot(data, deterministic=True) as virtual:
        assert 946684805 <= float(virtual.run("print(time.time())").stdout) < 946684806
    with Sandbox.from_snapshot(data) as plain:
        assert float(plain.run("print(time.time())").stdout) > 1.7e9
