"""Batch throughput: runs/s through micropython_wasi.map() with 1..N worker processes,
against a plain run() loop in this process (the baseline, measured in the same run),
threads calling run(), and judge() throughput in cases/s.

    python benchmarks/bench_batch.py                  # 1..cpu_count workers
    python benchmarks/bench_batch.py --workers 1 2 4 --runs 4000
    python benchmarks/bench_batch.py --ray            # also through RayExecutor (the [ray] extra)

Rows:
  run() loop       run(source) in a loop in this process (1 core): the baseline
  threads W        W threads each calling run() in a loop (they share the GIL)
  processes W      micropython_wasi.map(sources, executor=Executor(W)); workers started
                   and warm before timing (their start-up is printed separately)
  judge W          judge_many() of programs that define a function, 10 cases each:
                   cases/s, session isolation (and fresh for the largest W)
  ray W            the same map() through RayExecutor on a local Ray with W CPUs

Ratios: against the run() loop (judge: fresh against session isolation; ray: against
the local processes), and "scaling": against 1 worker of the same kind.
Each figure is the best of --repeat timings (the machine may be busy).
"""

from __future__ import annotations

import argparse
import os
import platform
import threading
import time
from collections.abc import Callable
from typing import Any

import micropython_wasi
from micropython_wasi import Executor, run

PROGRAMS = {
    "trivial": "x = 1 + 1",
    "fib(16)": "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nfib(16)",
}
JUDGED = "def solve(xs):\n    total = 0\n    for x in xs:\n        total += x * x\n    return total"


def best(repeat: int, measure: Callable[[], float]) -> float:
    return max(measure() for _ in range(repeat))


def loop_rate(source: str, runs: int) -> float:
    started = time.perf_counter()
    for _ in range(runs):
        run(source)
    return runs / (time.perf_counter() - started)


def thread_rate(source: str, runs: int, threads: int) -> float:
    each = runs // threads

    def work() -> None:
        for _ in range(each):
            run(source)

    pool = [threading.Thread(target=work) for _ in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return each * threads / (time.perf_counter() - started)


def batch_rate(executor: Any, source: str, runs: int) -> float:
    started = time.perf_counter()
    results = micropython_wasi.map([source] * runs, executor=executor)
    elapsed = time.perf_counter() - started
    assert all(r.ok for r in results), next(r for r in results if not r.ok)
    return runs / elapsed


def judge_rate(executor: Any, programs: int, isolation: str) -> float:
    cases = [((list(range(n)),), sum(x * x for x in range(n))) for n in range(10)]
    started = time.perf_counter()
    reports = micropython_wasi.judge_many([(JUDGED, cases)] * programs, function="solve", isolation=isolation,
                                          executor=executor)
    elapsed = time.perf_counter() - started
    assert all(r.passed == 10 for r in reports), reports[0].summary()
    return programs * 10 / elapsed


def started_executor(workers: int) -> tuple[Executor, float]:
    started = time.perf_counter()
    executor = Executor(workers)
    micropython_wasi.map(["pass"] * (4 * workers), executor=executor)  # every worker warm
    return executor, time.perf_counter() - started


def row(name: str, rate: float, baseline: float | None, scale_base: float | None, unit: str = "runs/s",
        against: str = "loop") -> None:
    ratio = f"{rate / baseline:6.2f}x {against}" if baseline else ""
    scaling = f"scaling {rate / scale_base:5.2f}x" if scale_base else ""
    print(f"  {name:<16} {rate:>9,.0f} {unit:<7} {ratio:<16} {scaling}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    cpus = os.cpu_count() or 1
    parser.add_argument("--workers", type=int, nargs="+", default=list(range(1, cpus + 1)))
    parser.add_argument("--runs", type=int, default=3000, help="runs per trivial timing (fib: a tenth)")
    parser.add_argument("--programs", type=int, default=200, help="judged programs (10 cases each)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--ray", action="store_true", help="also measure RayExecutor on a local Ray")
    args = parser.parse_args()

    print(f"micropython-wasi batch benchmark, {time.strftime('%Y-%m-%d')}, {platform.machine()}, "
          f"{cpus} CPUs, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    run("pass")  # this process's engine and image are warm too
    executors = {}
    for workers in args.workers:
        executors[workers], startup = started_executor(workers)
        print(f"  start-up of {workers} warm worker(s): {startup:.2f} s")
    try:
        for name, source in PROGRAMS.items():
            runs = args.runs if name == "trivial" else max(100, args.runs // 10)
            print(f"{name}: {runs} runs")
            baseline = best(args.repeat, lambda: loop_rate(source, runs))
            row("run() loop", baseline, baseline, None)
            one_thread = None
            for workers in args.workers:
                rate = best(args.repeat, lambda: thread_rate(source, runs, workers))
                one_thread = one_thread or rate
                row(f"threads {workers}", rate, baseline, one_thread)
            one_process = None
            for workers in args.workers:
                rate = best(args.repeat, lambda: batch_rate(executors[workers], source, runs))
                one_process = one_process or rate
                row(f"processes {workers}", rate, baseline, one_process)
                if workers == args.workers[-1]:
                    print(f"  {'':<16} {rate / workers:>9,.0f} runs/s per worker")
        print(f"judge: {args.programs} programs x 10 cases (a function; session isolation)")
        one = None
        for workers in args.workers:
            rate = best(args.repeat, lambda: judge_rate(executors[workers], args.programs, "session"))
            one = one or rate
            row(f"judge {workers}", rate, None, one, "cases/s")
        top = args.workers[-1]
        fresh = best(args.repeat, lambda: judge_rate(executors[top], args.programs, "fresh"))
        row(f"judge {top} fresh", fresh, rate, None, "cases/s", "session")
        if args.ray:
            measure_ray(args, executors[top])
    finally:
        for executor in executors.values():
            executor.shutdown()


def measure_ray(args: argparse.Namespace, local: Executor) -> None:
    import ray

    from micropython_wasi.ray import RayExecutor

    top = args.workers[-1]
    ray.init(num_cpus=top, include_dashboard=False, log_to_driver=False)
    try:
        with RayExecutor(top) as executor:
            micropython_wasi.map(["pass"] * 100, executor=executor)
            source = PROGRAMS["trivial"]
            here = best(args.repeat, lambda: batch_rate(local, source, args.runs))
            rate = best(args.repeat, lambda: batch_rate(executor, source, args.runs))
            print(f"ray: {top} actors on this machine, trivial program")
            row(f"processes {top}", here, None, None)
            row(f"ray {top}", rate, here, None, against="local")
            jl = best(args.repeat, lambda: judge_rate(local, args.programs, "session"))
            jr = best(args.repeat, lambda: judge_rate(executor, args.programs, "session"))
            row(f"judge {top}", jl, None, None, "cases/s")
            row(f"judge ray {top}", jr, jl, None, "cases/s", "local")
    finally:
        ray.shutdown()


if __name__ == "__main__":
    main()
