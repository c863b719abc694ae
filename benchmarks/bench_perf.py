"""Interpreter speed against native MicroPython: upstream perf_bench plus the runner workloads.

Runs every program of MicroPython's `tests/perf_bench` (without the viper ones,
which need the native emitter, and the .mpy import ones, which need mpy-cross)
and the CPU-bound workloads of bench_runner.py, interleaved, in these
configurations:

  native          the native unix port given with --native (a new process per
                  program, `-X heapsize=64m`; its start-up is included, a few ms)
  warm            one resident Sandbox for every program, no limits
  warm+timeout    the same with a timeout (epoch interruption compiled in)
  warm+fuel       the same with fuel metering
  warm+both       timeout and fuel
  fresh           a new interpreter per program (micropython_wasi.run), no limits
  warm@other, fresh@other
                  with --other IMAGE: warm and fresh with that image (e.g. a
                  build without a change, to measure the change)

Times are CPU time (the child's for native, the calling thread's for the
sandbox, which runs the guest on that thread), the median of --repeat rounds.
Each program's output (apart from the time perf_bench measures itself) must be
the same in every configuration, else the row says so. The table gives each
configuration's time as a ratio to native (or, without --native, to warm),
then geometric means and the cost of the limits against warm.

    python benchmarks/bench_perf.py --native /path/to/micropython
    python benchmarks/bench_perf.py --native ./micropython -N 200 -M 1000 --repeat 5 --json perf.json

The script builds nothing: build the native port from the same MicroPython tag
(`make -C micropython/ports/unix`) and pass its binary.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import micropython_wasi
from micropython_wasi import Sandbox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_runner import WORKLOADS  # noqa: E402 - the same workloads, not a copy

PERF_BENCH = Path(__file__).resolve().parent.parent / "micropython" / "tests" / "perf_bench"
SKIPPED_PREFIXES = ("viper_", "core_import_mpy_")
BIG_FUEL = 10**15
LONG_TIMEOUT = 3600.0  # never reached: only its cost (epoch checks in the compiled code) matters
CONFIGS = ("native", "warm", "warm+timeout", "warm+fuel", "warm+both", "fresh")


def perf_bench_programs(n: int, m: int) -> dict[str, str]:
    if not PERF_BENCH.is_dir():
        sys.exit(f"bench_perf: {PERF_BENCH} is missing: run `git submodule update --init micropython`")
    harness = (PERF_BENCH / "benchrun.py").read_text()
    programs = {}
    for path in sorted(PERF_BENCH.glob("*.py")):
        if path.name == "benchrun.py" or path.name.startswith(SKIPPED_PREFIXES):
            continue
        programs[path.stem] = f"{harness}\n{path.read_text()}\nbm_run({n}, {m})\n"
    return programs


def comparable(output: str) -> str:
    """The output without the microseconds perf_bench prints first on its result line."""
    lines = output.strip().splitlines()
    if lines and lines[-1].split(" ", 1)[0].lstrip("-").isdigit():
        lines[-1] = lines[-1].split(" ", 1)[1] if " " in lines[-1] else ""
    return "\n".join(lines)


def run_native(binary: str, source: str) -> tuple[float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([binary, "-X", "heapsize=64m", "-c", source], capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = proc.stdout if proc.returncode == 0 else f"exit {proc.returncode}: {proc.stderr.strip()[-200:]}"
    return cpu, out


def timed(call: Callable[[], micropython_wasi.Result]) -> tuple[float, str]:
    start = time.thread_time()
    try:
        result = call()
    except micropython_wasi.SandboxError as exc:
        return time.thread_time() - start, f"{type(exc).__name__}: {exc}"
    return time.thread_time() - start, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--native", help="a native MicroPython binary (unix port, same tag)")
    parser.add_argument("-N", type=int, default=1000, help="perf_bench's N (CPU scale)")
    parser.add_argument("-M", type=int, default=1000, help="perf_bench's M (memory scale, KiB)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the median is reported")
    parser.add_argument("--only", help="comma-separated program names to run")
    parser.add_argument("--other", help="another image to measure warm and fresh (e.g. before a change)")
    parser.add_argument("--json", help="write the raw figures here")
    args = parser.parse_args()
    if args.native and not os.access(args.native, os.X_OK):
        sys.exit(f"bench_perf: --native {args.native!r} is not an executable file")

    programs = perf_bench_programs(args.N, args.M)
    programs.update({f"runner:{name}": source for name, source in WORKLOADS.items()})
    if args.only:
        wanted = set(args.only.split(","))
        programs = {name: src for name, src in programs.items() if name in wanted}
    configs = [c for c in CONFIGS if c != "native" or args.native]
    if args.other:
        if not Path(args.other).is_file():
            sys.exit(f"bench_perf: --other {args.other!r} is not a file")
        configs += ["warm@other", "fresh@other"]

    sandboxes = {
        "warm": Sandbox(timeout=None),
        "warm+timeout": Sandbox(timeout=LONG_TIMEOUT),
        "warm+fuel": Sandbox(timeout=None, fuel=BIG_FUEL),
        "warm+both": Sandbox(timeout=LONG_TIMEOUT, fuel=BIG_FUEL),
    }
    if args.other:
        sandboxes["warm@other"] = Sandbox(timeout=None, image=args.other)
    for sandbox in sandboxes.values():
        sandbox.run("pass")  # compile and start each configuration before timing

    def measure(config: str, source: str) -> tuple[float, str]:
        if config == "native":
            assert args.native
            return run_native(args.native, source)
        if config == "fresh":
            return timed(lambda: micropython_wasi.run(source, timeout=None))
        if config == "fresh@other":
            return timed(lambda: micropython_wasi.run(source, timeout=None, image=args.other))
        sandbox = sandboxes[config]  # (fuel is per run: each run gets BIG_FUEL)
        return timed(lambda: sandbox.run(source))

    times: dict[str, dict[str, list[float]]] = {name: {c: [] for c in configs} for name in programs}
    outputs: dict[str, dict[str, str]] = {name: {} for name in programs}
    for round_ in range(args.repeat):
        for name, source in programs.items():
            for config in configs:
                cpu, out = measure(config, source)
                times[name][config].append(cpu)
                outputs[name].setdefault(config, comparable(out))
        print(f"round {round_ + 1}/{args.repeat} done", file=sys.stderr)

    base = "native" if args.native else "warm"
    medians = {name: {c: statistics.median(ts) for c, ts in per.items()} for name, per in times.items()}
    print(f"# bench_perf: {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, micropython-wasi {micropython_wasi.__version__}, "
          f"N={args.N} M={args.M}, median of {args.repeat}, CPU time")
    header = f"{'program':28} {base + ' ms':>10} " + " ".join(f"{c:>13}" for c in configs if c != base)
    print(header)
    for name in programs:
        row = medians[name]
        cells = []
        for config in configs:
            if config == base:
                continue
            ratio = row[config] / row[base] if row[base] > 0 else math.nan
            cells.append(f"{ratio:12.2f}x")
        same = len(set(outputs[name].values())) == 1
        print(f"{name:28} {row[base] * 1000:10.1f} " + " ".join(cells) + ("" if same else "  OUTPUT DIFFERS"))
        if not same:
            for config, out in outputs[name].items():
                print(f"    {config}: {out[:120]!r}")

    def geomean(config: str, against: str) -> float:
        logs = [math.log(medians[n][config] / medians[n][against]) for n in programs if medians[n][against] > 0]
        return math.exp(sum(logs) / len(logs)) if logs else math.nan

    print()
    for config in configs:
        if config != base:
            print(f"geomean {config:13} / {base}: {geomean(config, base):.2f}x")
    for config in ("warm+timeout", "warm+fuel", "warm+both"):
        print(f"cost of limits {config:13} / warm: {(geomean(config, 'warm') - 1) * 100:+.0f} %")
    if args.other:
        print(f"warm / warm@other: {geomean('warm', 'warm@other'):.2f}x; "
              f"fresh / fresh@other: {geomean('fresh', 'fresh@other'):.2f}x")
    worst = max(programs, key=lambda n: medians[n]["warm"] / medians[n][base])
    print(f"worst warm / {base}: {worst} {medians[worst]['warm'] / medians[worst][base]:.2f}x")

    if args.json:
        Path(args.json).write_text(json.dumps({"args": vars(args), "times": times, "outputs": outputs}, indent=1))
    for sandbox in sandboxes.values():
        sandbox.close()


if __name__ == "__main__":
    main()
