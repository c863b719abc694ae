"""What snapshots and forks cost, against rebuilding the session from scratch.

A session holds LIVE MiB of live data (1 KiB bytes objects in a list, made by
the setup code). For each size: the latency of fork(), of
Sandbox.from_snapshot() and of restore() into an existing Sandbox, against the
baseline in the same run: a fresh Sandbox that runs the setup code again.
Also: the time to take a snapshot, its size (plain and compressed), and the
"first touch" floor: writing LIVE MiB into freshly mapped memory, which every
copy of a session into a new instance pays to the operating system.
Wall-clock medians of --rounds repetitions. Issue 14's targets: fork < 1 ms
for 1 MiB, restore < 5 ms for 16 MiB.

    python benchmarks/bench_snapshot.py [--rounds 15] [--sizes 1 16]
"""

from __future__ import annotations

import argparse
import ctypes
import mmap
import os
import platform
import statistics
import time
from collections.abc import Callable
from typing import Any
from datetime import date

from micropython_wasi import Sandbox

OPTIONS: dict[str, Any] = {"memory_limit": 128 << 20, "timeout": None}  # (building 16 MiB of objects takes seconds)
SETUP = "live = [bytes([i % 251 + 1]) * 1000 for i in range({n})]\nimport json\ncount = len(live)"


def timed(fn: Callable[[], object], cleanup: Callable[[object], None], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        value = fn()
        samples.append(time.perf_counter() - start)
        cleanup(value)
    return statistics.median(samples)


def first_touch(size: int, rounds: int) -> float:
    source = os.urandom(size)

    def touch() -> mmap.mmap:
        area = mmap.mmap(-1, size)
        ctypes.memmove(ctypes.addressof(ctypes.c_char.from_buffer(area)), source, size)
        return area

    return timed(touch, lambda area: None, rounds)


def close(sandbox: object) -> None:
    assert isinstance(sandbox, Sandbox)
    sandbox.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 16], help="MiB of live data")
    args = parser.parse_args()

    print(f"# {date.today()} {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"wall-clock median of {args.rounds}")
    print(f"{'live':>5} {'case':34} {'ms':>9} {'vs baseline':>12}")
    for mib in args.sizes:
        setup = SETUP.format(n=mib * 1024 * 1024 // 1000)

        def fresh() -> Sandbox:
            sandbox = Sandbox(**OPTIONS)
            sandbox.run(setup).check()
            return sandbox

        session = fresh()
        data = session.snapshot()
        packed = session.snapshot(compress=True)
        target = Sandbox(**OPTIONS)
        rows = {
            "baseline: new Sandbox + setup code": timed(fresh, close, max(3, args.rounds // 3)),
            "fork()": timed(session.fork, close, args.rounds),
            "Sandbox.from_snapshot()": timed(lambda: Sandbox.from_snapshot(data, **OPTIONS),
                                             close, args.rounds),
            "restore() into a Sandbox": timed(lambda: target.restore(data), lambda _: None, args.rounds),
            "from_snapshot(), compressed": timed(
                lambda: Sandbox.from_snapshot(packed, **OPTIONS), close, args.rounds),
            "snapshot()": timed(session.snapshot, lambda _: None, args.rounds),
            "snapshot(compress=True)": timed(lambda: session.snapshot(compress=True), lambda _: None,
                                             max(3, args.rounds // 3)),
            f"first touch of {mib} MiB (floor)": first_touch(mib << 20, args.rounds),
        }
        check = Sandbox.from_snapshot(data, **OPTIONS)
        assert check.run("print(count == len(live))").stdout == "True\n"
        check.close()
        base = rows["baseline: new Sandbox + setup code"]
        for name, seconds in rows.items():
            print(f"{mib:>4}M {name:34} {seconds * 1e3:9.2f} {base / seconds:11.1f}x")
        heap = int(session.run("import gc; print(gc.mem_alloc())").stdout)
        print(f"{mib:>4}M {'guest heap in use':34} {heap / 2**20:8.2f} MiB")
        print(f"{mib:>4}M {'snapshot size':34} {len(data) / 2**20:8.2f} MiB")
        print(f"{mib:>4}M {'snapshot size, compressed':34} {len(packed) / 2**20:8.2f} MiB")
        session.close()
        target.close()


if __name__ == "__main__":
    main()
