"""What mounts cost a fresh run(): the checks that keep the guest away from the
host (kernel filesystems; writable mounts over the cache, package or image).

Each row is run("pass") with a new interpreter each time (median CPU time of
interleaved batches), and its ratio against the same call without mounts in
the same run. Issue 11 allows the checks to slow a fresh run by at most 10 %.

    python benchmarks/bench_mounts.py [--rounds 15] [--batch 200]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date

from micropython_wasi import Mount, run
from micropython_wasi._mount_checks import check_mount


def per_call(fn: Callable[[], object], batch: int) -> float:
    start = time.process_time()
    for _ in range(batch):
        fn()
    return (time.process_time() - start) / batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as data:
        cases: dict[str, Callable[[], object]] = {
            "no mount": lambda: run("pass"),
            "1 read-only mount": lambda: run("pass", mounts={"/data": data}),
            "1 writable mount": lambda: run("pass", mounts={"/data": Mount(data, writable=True)}),
            "check_mount alone, read-only": lambda: check_mount("/data", data, False),
            "check_mount alone, writable": lambda: check_mount("/data", data, True),
        }
        for fn in cases.values():  # warm: compile, caches
            fn()
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.rounds):
            for name, fn in cases.items():
                samples[name].append(per_call(fn, args.batch))

    print(f"# {date.today()} {platform.machine()} {platform.python_implementation()} "
          f"{platform.python_version()}; median of {args.rounds} batches of {args.batch}")
    base = statistics.median(samples["no mount"])
    print(f"{'case':32} {'us/call':>9} {'vs no mount':>12}")
    for name, values in samples.items():
        median = statistics.median(values)
        ratio = f"{median / base:11.3f}x" if name.startswith(("no", "1 ")) else ""
        print(f"{name:32} {median * 1e6:9.1f} {ratio:>12}")


if __name__ == "__main__":
    main()
