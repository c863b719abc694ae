"""What the CPython-compatibility changes to the core cost: an image against
a baseline image (e.g. one built from the previous commit), side by side.

Rows: image size; start-up (fresh run of print(1+1), and a resident
interpreter's run("pass"), medians); sorting (list.sort and sorted(), whose
stable merge sort replaced a quicksort: ports/wasi/patches/0002-stable-sort.patch),
best of 5 CPU times in a resident interpreter. Each image is measured in its
own process (MICROPY_WASI_IMAGE), alternately, and the ratio is
image / baseline (< 1: the image is faster or smaller).

    python benchmarks/bench_core_patches.py --baseline /path/to/baseline/micropython.wasm
    python benchmarks/bench_core_patches.py --baseline A.wasm --image B.wasm --rounds 20
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from bench_runner import MEDIAN_US

SORTS: dict[str, str] = {
    "sort 50k random ints": "data = [(i * 7919) % 50021 for i in range(50000)]",
    "sort 50k sorted ints": "data = list(range(50000))",
    "sort 50k reversed ints": "data = list(range(50000, 0, -1))",
    "sort 20k strings": "data = [str((i * 7919) % 20011) for i in range(20000)]",
    "sort 20k tuples": "data = [((i * 31) % 100, (i * 7919) % 20011) for i in range(20000)]",
    "sorted 20k, key=": "data = [(i * 7919) % 20011 for i in range(20000)]\nKEY = lambda x: -x",
}

CHILD = r"""
import json, statistics, sys, time
import micropython_wasi as m
rounds = int(sys.argv[1])
sorts = json.loads(sys.argv[2])
""" + MEDIAN_US + r"""
out = {"size_kib": m.image_info().path.stat().st_size / 1024}
assert m.run("print(1+1)").stdout == "2\n"
out["fresh run"] = median_us(lambda: m.run("print(1+1)"), rounds * 5)
s = m.Sandbox(timeout=None, max_output=None, memory_limit=256 * 1024 * 1024)
s.run("x = 1")
out["session call"] = median_us(lambda: s.run("pass"), rounds * 25)
for name, setup in sorts.items():
    s.run(setup)
    sort = "sorted(data, key=KEY)" if "KEY" in setup else "sorted(data)"
    best = None
    for _ in range(5):
        s.run("import time\nt0 = time.ticks_us()\n_ = " + sort + "\nt1 = time.ticks_diff(time.ticks_us(), t0)")
        us = s.run("print(t1)").stdout
        best = min(best or float("inf"), float(us))
    out[name] = best
print(json.dumps(out))
"""


def measure(image: Path, rounds: int) -> dict[str, float]:
    env = dict(os.environ, MICROPY_WASI_IMAGE=str(image))
    done = subprocess.run([sys.executable, "-c", CHILD, str(rounds), json.dumps(SORTS)],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"measuring {image} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="the image to compare against")
    parser.add_argument("--image", type=Path, help="the image to measure (default: the installed package's)")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=3, help="measure each image this many times, alternately")
    args = parser.parse_args()
    if args.image is None:
        import micropython_wasi
        args.image = micropython_wasi.image_info().path
    for path in (args.baseline, args.image):
        if not path.is_file():
            sys.exit(f"no image at {path}")

    # Alternate the two so that changes in the machine's load hit both alike;
    # keep each row's best.
    best: dict[str, dict[str, float]] = {"baseline": {}, "image": {}}
    for _ in range(args.repeat):
        for which, path in (("baseline", args.baseline), ("image", args.image)):
            for key, value in measure(path, args.rounds).items():
                best[which][key] = min(value, best[which].get(key, value))

    print(f"baseline: {args.baseline}\nimage:    {args.image}\n")
    print(f"{'':<26}{'baseline':>12}{'image':>12}{'ratio':>8}")
    for key in best["baseline"]:
        base, new = best["baseline"][key], best["image"][key]
        unit = " KiB" if key == "size_kib" else " us"
        label = "image size" if key == "size_kib" else key
        print(f"{label:<26}{base:>9.0f}{unit:<3}{new:>9.0f}{unit:<3}{new / base:>8.2f}")


if __name__ == "__main__":
    main()
