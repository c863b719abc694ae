"""What the GC-root method costs: speed, size and recursion depth of images
built with each MICROPY_WASI_GC_ROOTS setting (ports/wasi/CMakeLists.txt).

  all     --flatten, then --spill-pointers: every value wasm code holds (the default)
  locals  --spill-pointers alone: misses values on the wasm operand stack (unsound)
  none    no root method (unsound: run here with the GC disabled)

Builds the three images with CMake into build/bench-gc-roots/ (reused on later
runs), unless --image NAME=PATH gives one, then runs each workload in a warm
Sandbox per image, interleaved, and prints the median CPU time of each and
its ratio to `locals` (the method the image used before `all`).

    python benchmarks/bench_gc_roots.py
    python benchmarks/bench_gc_roots.py --rounds 7 --image all=build/x/micropython.wasm
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import micropython_wasi
from bench_runner import WORKLOADS as RUNNER_WORKLOADS

REPO = Path(__file__).resolve().parent.parent
METHODS = ("all", "locals", "none")

# The runner's workloads, plus allocation-heavy ones (the GC-root method adds
# work around calls, which allocation paths make many of).
WORKLOADS = dict(RUNNER_WORKLOADS)
WORKLOADS.update({
    "big ints": "x = 1\nfor i in range(1, 2000):\n    x = x * i + (x >> 7)\n",
    "classes": """
class P:
    def __init__(self, x, y):
        self.x, self.y = x, y
    def add(self, o):
        return P(self.x + o.x, self.y + o.y)
p = P(0, 0)
for i in range(100000):
    p = p.add(P(i, 1))
""",
    "sort 100k": "import random\nrandom.seed(1)\nd = [random.random() for _ in range(100000)]\nd.sort()\n",
})

DEPTH_PROBE = """
depth = 0
def g(n):
    global depth
    depth = n
    g(n + 1)
try:
    g(0)
except RuntimeError:
    pass
print(depth)
"""


def build(method: str) -> Path:
    build_dir = REPO / "build" / "bench-gc-roots" / method
    print(f"building the {method} image in {build_dir} ...", file=sys.stderr, flush=True)
    subprocess.run(["cmake", "-S", str(REPO), "-B", str(build_dir), "-G", "Ninja",
                    f"-DPython3_EXECUTABLE={sys.executable}", f"-DMICROPY_WASI_GC_ROOTS={method}"],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", str(build_dir)], check=True, stdout=subprocess.DEVNULL)
    return build_dir / "micropython.wasm"


def cpu_time(sandbox: micropython_wasi.Sandbox, source: str) -> float:
    start = time.process_time()
    result = sandbox.run(source)
    took = time.process_time() - start
    if not result.ok:
        raise RuntimeError(result.stderr)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--image", action="append", default=[], metavar="METHOD=PATH",
                        help="use this image for a method instead of building it")
    args = parser.parse_args()

    images = {}
    for spec in args.image:
        method, _, path = spec.partition("=")
        if method not in METHODS or not path:
            parser.error(f"--image {spec!r}: expected METHOD=PATH with METHOD one of {', '.join(METHODS)}")
        images[method] = Path(path)
    for method in METHODS:
        if method not in images:
            images[method] = build(method)

    sandboxes = {}
    for method, image in images.items():
        sandboxes[method] = micropython_wasi.Sandbox(image=image, memory_limit=256 * 1024 * 1024)
        if method == "none":
            sandboxes[method].run("import gc\ngc.disable()")

    times: dict[str, dict[str, list[float]]] = {m: {w: [] for w in WORKLOADS} for m in METHODS}
    for _ in range(args.rounds):
        for name, source in WORKLOADS.items():
            for method in METHODS:  # interleaved: load on the machine hits every image alike
                # Collect before each workload, untimed: between runs no C frame holds a
                # pointer, so even the `none` image (GC disabled in runs) collects safely here.
                sandboxes[method].run("import gc\ngc.collect()")
                times[method][name].append(cpu_time(sandboxes[method], source))

    print(f"# GC-root methods, {datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, median CPU time of {args.rounds}")
    print(f"| workload | all | locals | none (GC off) | all / locals | all / none |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    ratios_locals, ratios_none = [], []
    for name in WORKLOADS:
        med = {m: statistics.median(times[m][name]) for m in METHODS}
        ratios_locals.append(med["all"] / med["locals"])
        ratios_none.append(med["all"] / med["none"])
        print(f"| {name} | {med['all'] * 1000:.1f} ms | {med['locals'] * 1000:.1f} ms | "
              f"{med['none'] * 1000:.1f} ms | {ratios_locals[-1]:.2f}x | {ratios_none[-1]:.2f}x |")
    print(f"| geometric mean | | | | {statistics.geometric_mean(ratios_locals):.2f}x | "
          f"{statistics.geometric_mean(ratios_none):.2f}x |")

    print()
    print("| image | size | Python recursion depth |")
    print("| --- | ---: | ---: |")
    for method in METHODS:
        with micropython_wasi.Sandbox(image=images[method]) as box:
            depth = box.run(DEPTH_PROBE).stdout.strip()
        print(f"| {method} | {images[method].stat().st_size / 1024:.0f} KiB | {depth} |")
    for sandbox in sandboxes.values():
        sandbox.close()


if __name__ == "__main__":
    main()
