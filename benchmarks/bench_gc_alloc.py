"""What the GC's multi-block search hint changes: time and memory, side by side.

Compares an image (default: the installed package's) with a baseline image
built without ports/wasi/patches/0020-gc-multi-block-hint.patch (e.g. from
the commit before it), on allocation-heavy programs (100k complex
multiplies, 100k 3-tuples, upstream's perf_bench bm_fft) and on the
workloads of benchmarks/bench_runner.py. Both images run in this process,
interleaved round by round; times are the host's CPU time for a run
(medians), in one warm Sandbox per image (all workloads one after the
other, as a long-lived session sees them) and in a fresh interpreter per
run. Ratio = image / baseline (< 1: faster).

Memory: gc.mem_alloc() right after each workload in a fresh interpreter
(before any collection), and the heap's size then (it grows on demand, so
it is the peak; micropython.mem_info()'s "GC: total"). "layout" runs a program that allocates objects of mixed
sizes, drops and collects some, and prints a digest of where each new object
went: the patch must not change the allocator's choices, so the digests
must be equal.

With --native, a native MicroPython (the unix port, which this script does
not build) runs each workload in its own process (-X heapsize=64m, CPU time
less that of an empty run), and the table gets ratios to it.

    python benchmarks/bench_gc_alloc.py --baseline old/micropython.wasm
    python benchmarks/bench_gc_alloc.py --baseline A.wasm --image B.wasm --native ~/micropython --rounds 5
    python benchmarks/bench_gc_alloc.py --baseline A.wasm -k complex     # one workload
"""

from __future__ import annotations

import argparse
import math
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import micropython_wasi

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_runner import WORKLOADS as RUNNER_WORKLOADS  # noqa: E402

FFT = HERE.parent / "micropython" / "tests" / "perf_bench" / "bm_fft.py"

WORKLOADS: dict[str, str] = {
    "100k complex multiplies": """
c = complex(1.0000001, 0.0000001)
z = complex(1, 0)
for i in range(100000):
    z = z * c
assert abs(z) > 1
""",
    "100k 3-tuples": """
data = [(i, i + 1, i + 2) for i in range(100000)]
assert data[-1][2] == 100001
""",
    "live set growing to 1 MiB, with garbage": """
keep = []
for i in range(40000):
    keep.append(str(i) * 3)
    t = (i, i + 1, i + 2)
    u = [i] * 4
assert len(keep[-1]) == 15
""",
    "bm_fft (20 x 512)": FFT.read_text() + """
run, result = bm_setup((20, 512))
run()
assert result()[1] == (True, True)
""",
}
WORKLOADS.update(RUNNER_WORKLOADS)

# Where each new object goes, as offsets from the first one, hashed.
LAYOUT = """
import gc
seed = 1
def rnd(n):
    global seed
    seed = (seed * 1103 + 4721) % 1048573
    return seed % n
base = id(object())
digest = 0
slots = [None] * 400
for step in range(30000):
    k = rnd(400)
    kind = rnd(5)
    if kind == 0:
        o = complex(step, 1)
    elif kind == 1:
        o = (step, step, step)
    elif kind == 2:
        o = [step] * rnd(20)
    elif kind == 3:
        o = 'ab' * rnd(40)
    else:
        o = step + 0.5
    slots[k] = o
    digest = (digest * 31 + id(o) - base) % 1000000007
    if step % 5000 == 4999:
        gc.collect()
print(digest, gc.mem_alloc())
"""

# gc.mem_alloc(), and the heap's size from mem_info ("GC: total: N"; gc.mem_free()
# counts the room the heap may still grow into as well).
MEMORY = "\nimport gc, micropython\nmicropython.mem_info()\nprint(gc.mem_alloc())\n"
LIMIT = 64 * 1024 * 1024


def cpu_run(box: micropython_wasi.Sandbox, source: str) -> float:
    t = time.process_time()
    result = box.run(source)
    elapsed = time.process_time() - t
    if not result.ok:
        sys.exit(f"a workload failed:\n{result.stderr}")
    return elapsed


def fresh_run(image: Path, source: str) -> tuple[float, str]:
    with micropython_wasi.Sandbox(image=image, timeout=None, max_output=None, memory_limit=LIMIT) as box:
        box.run("pass")
        t = time.process_time()
        result = box.run(source)
        elapsed = time.process_time() - t
        if not result.ok:
            sys.exit(f"a workload failed:\n{result.stderr}")
        return elapsed, result.stdout


def measure(images: dict[str, Path], workloads: dict[str, str], rounds: int) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {k: {"warm": {}, "fresh": {}, "memory": {}} for k in images}
    warm = {k: micropython_wasi.Sandbox(image=p, timeout=None, max_output=None, memory_limit=LIMIT)
            for k, p in images.items()}
    for name, source in workloads.items():
        for k in images:
            cpu_run(warm[k], source)  # warm-up
        samples: dict[str, dict[str, list[float]]] = {k: {"warm": [], "fresh": []} for k in images}
        for _ in range(rounds):
            for k, image in images.items():
                samples[k]["warm"].append(cpu_run(warm[k], source))
                # (printing the memory figures at the end takes no measurable time)
                elapsed, stdout = fresh_run(image, source + MEMORY)
                samples[k]["fresh"].append(elapsed)
                heap = re.search(r"GC: total: (\d+)", stdout)
                out[k]["memory"][name] = (int(stdout.split()[-1]), int(heap.group(1)) if heap else -1)
        for k in images:
            for mode in ("warm", "fresh"):
                out[k][mode][name] = statistics.median(samples[k][mode])
        print(f"  measured {name}", file=sys.stderr)
    for k, image in images.items():
        out[k]["layout"] = fresh_run(image, LAYOUT)[1].strip()
        warm[k].close()
    return out


def native_times(binary: str, workloads: dict[str, str], rounds: int) -> dict[str, float | None]:
    def cpu(code: str) -> float | None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([binary, "-X", "heapsize=64m", "-c", code], capture_output=True, text=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            return None
        return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime

    empty = min(cpu("pass") or 0.0 for _ in range(5))
    times: dict[str, float | None] = {}
    for name, source in workloads.items():
        samples = [cpu(source) for _ in range(rounds)]
        times[name] = None if None in samples else max(statistics.median(samples) - empty, 1e-6)  # type: ignore[type-var]
    return times


def fmt(seconds: float | None) -> str:
    if seconds is None:
        return "failed"
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1e3:.1f} ms"


def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="an image built without the patch")
    parser.add_argument("--image", type=Path, help="the image to measure (default: the installed package's)")
    parser.add_argument("--native", help="a native `micropython` binary (unix port) to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("-k", dest="select", action="append",
                        help="only the workloads whose name contains this (may be repeated)")
    args = parser.parse_args()
    workloads = {n: s for n, s in WORKLOADS.items() if not args.select or any(k in n for k in args.select)}
    if not workloads:
        sys.exit(f"no workload matches {args.select}: choose from {', '.join(WORKLOADS)}")
    image = args.image or Path(micropython_wasi.__file__).parent / "image" / "micropython.wasm"
    for path in (image, args.baseline):
        if not path.is_file():
            sys.exit(f"no image at {path}: build one (e.g. `micropython-wasi build -o {path.name}`)")
    images = {"baseline": args.baseline.resolve(), "image": image.resolve()}
    results = measure(images, workloads, args.rounds)
    native = native_times(args.native, workloads, args.rounds) if args.native else None

    base, new = results["baseline"], results["image"]
    print(f"CPU time, median of {args.rounds}; ratio = image / baseline")
    header = f"{'workload':<26}{'warm: base':>12}{'image':>10}{'ratio':>7}{'fresh: base':>13}{'image':>10}{'ratio':>7}"
    if native:
        header += f"{'native':>10}{'warm/nat':>10}{'fresh/nat':>10}{'base warm/nat':>15}"
    print(header)
    ratios: dict[str, list[float]] = {"warm": [], "fresh": [], "nw": [], "nf": [], "nb": []}
    for name in workloads:
        row = f"{name:<26}"
        for mode in ("warm", "fresh"):
            b, i = base[mode][name], new[mode][name]
            ratios[mode].append(i / b)
            width = 12 if mode == "warm" else 13
            row += f"{fmt(b):>{width}}{fmt(i):>10}{i / b:>6.2f}x"
        if native:
            n = native[name]
            row += f"{fmt(n):>10}"
            if n is not None:
                ratios["nw"].append(new["warm"][name] / n)
                ratios["nf"].append(new["fresh"][name] / n)
                ratios["nb"].append(base["warm"][name] / n)
                row += f"{new['warm'][name] / n:>9.1f}x{new['fresh'][name] / n:>9.1f}x{base['warm'][name] / n:>14.1f}x"
        print(row)
    print(f"{'geometric mean':<26}{'':>22}{geomean(ratios['warm']):>6.2f}x{'':>23}{geomean(ratios['fresh']):>6.2f}x"
          + (f"{'':>10}{geomean(ratios['nw']):>9.1f}x{geomean(ratios['nf']):>9.1f}x{geomean(ratios['nb']):>14.1f}x"
             if native and ratios["nw"] else ""))

    print("\nmemory after each workload in a fresh interpreter: gc.mem_alloc() / heap size, bytes")
    print(f"{'workload':<26}{'baseline':>22}{'image':>22}")
    for name in workloads:
        (ba, bh), (ia, ih) = base["memory"][name], new["memory"][name]
        print(f"{name:<26}{f'{ba} / {bh}':>22}{f'{ia} / {ih}':>22}{'' if (ba, bh) == (ia, ih) else '  differs'}")
    same = "same" if base["layout"] == new["layout"] else "DIFFERENT"
    print(f"\nlayout digest (and mem_alloc): baseline {base['layout']}, image {new['layout']}: {same}")


if __name__ == "__main__":
    main()
