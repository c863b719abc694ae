"""What insertion-ordered dicts cost (ports/wasi/patches/0009-dict-insertion-order.patch):
an image against a baseline image (e.g. one built without the patch), side by side.

Rows: dict-heavy workloads (inserting, looking up, deleting, iterating,
copying, popitem, instances' and modules' attributes, keyword arguments,
json) and bench_runner.py's workloads, best of 5 CPU times in a resident
interpreter; then memory: the GC heap bytes per dict of N int entries
(added one by one), per 4-key dict display and per instance with 3
attributes, measured with gc.mem_alloc() over many copies.
Each image is measured in its own process (MICROPY_WASI_IMAGE), alternately,
and the ratio is image / baseline (< 1: the image is faster or smaller).

    python benchmarks/bench_dict_order.py --baseline /path/to/baseline/micropython.wasm
    python benchmarks/bench_dict_order.py --baseline A.wasm --image B.wasm --repeat 5
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_runner import WORKLOADS as RUNNER_WORKLOADS  # noqa: E402

DICT_WORKLOADS: dict[str, str] = {
    "insert 200k int keys": """
d = {}
for i in range(200000):
    d[i] = i
""",
    "insert 50k str keys": """
keys = [str(i) for i in range(50000)]
d = {}
for k in keys:
    d[k] = 1
""",
    "word count 200k lookups": """
words = ['w%d' % (i % 3000) for i in range(200000)]
counts = {}
for w in words:
    counts[w] = counts.get(w, 0) + 1
""",
    "hit/miss lookups 300k": """
d = {i * 7: i for i in range(5000)}
n = 0
for i in range(300000):
    if i in d:
        n += 1
""",
    "colliding keys 4k (i*1024)": """
d = {}
for i in range(4000):
    d[i * 1024] = i
for i in range(4000):
    d[i * 1024]
""",
    "churn 200k (add, del oldest)": """
d = {}
for i in range(200000):
    d[i] = i
    if i >= 1000:
        del d[i - 1000]
""",
    "iterate 100k items x5": """
d = {i: i for i in range(100000)}
for _ in range(5):
    t = 0
    for k, v in d.items():
        t += v
""",
    "copy 10k dict x50": """
d = {i: i for i in range(10000)}
for _ in range(50):
    e = d.copy()
""",
    "popitem 100k": """
d = {i: i for i in range(100000)}
while d:
    d.popitem()
""",
    "small dicts 50k x4 keys": """
for i in range(50000):
    d = {'a': i, 'b': 2, 'c': 3, 'd': 4}
    d['e'] = d['a'] + d['c']
""",
    "objects 50k x5 attrs": """
class P:
    def __init__(self, i):
        self.a = i
        self.b = i
        self.c = i
        self.d = i
        self.e = i
ps = [P(i) for i in range(50000)]
""",
    "attribute reads 300k": """
class P:
    def __init__(self):
        self.x = 1
        self.y = 2
        self.z = 3
p = P()
t = 0
for i in range(300000):
    t += p.x + p.y + p.z
""",
    "globals 300k": """
G1 = 1
G2 = 2
def f():
    t = 0
    for i in range(300000):
        t += G1 + G2
    return t
f()
""",
    "kwargs calls 100k": """
def f(**kw):
    return len(kw)
for i in range(100000):
    f(a=1, b=2, c=3)
""",
    "json dumps+loads 2k": """
import json
obj = {'k%d' % i: [i, 'x', {'y': i}] for i in range(50)}
for i in range(2000):
    json.loads(json.dumps(obj))
""",
}

MEMORY_SIZES = (0, 1, 2, 4, 8, 16, 32, 100, 1000, 10000)

CHILD = r"""
import json, sys
import micropython_wasi as m
workloads = json.loads(sys.argv[1])
sizes = json.loads(sys.argv[2])
out = {}
s = m.Sandbox(timeout=None, max_output=None, memory_limit=256 * 1024 * 1024)
for name, code in workloads.items():
    best = None
    for _ in range(5):
        src = "import time, gc\ngc.collect()\nt0 = time.ticks_us()\n" + code + "\nprint(time.ticks_diff(time.ticks_us(), t0))"
        r = s.run(src)
        if not r.ok:
            sys.exit(f"{name} failed: {r.stderr}")
        best = min(best or float("inf"), float(r.stdout.split()[-1]))
        s.run("gc.collect()")
    out[name] = best
memory = '''
import gc
def per_object(make, n):
    gc.collect()
    keep = [None] * n
    gc.collect()
    before = gc.mem_alloc()
    for i in range(n):
        keep[i] = make()
    gc.collect()
    return (gc.mem_alloc() - before) / n
def assigned(size):
    def make():
        d = {}
        for i in range(size):
            d[i] = i
        return d
    return make
class P:
    def __init__(self):
        self.a = 1
        self.b = 2
        self.c = 3
for size in SIZES:
    copies = max(20, 20000 // (size + 1))
    print("dict of %d" % size, per_object(assigned(size), copies))
print("dict display of 4", per_object(lambda: {'a': 1, 'b': 2, 'c': 3, 'd': 4}, 5000))
print("instance, 3 attributes", per_object(P, 5000))
'''
r = s.run(memory.replace("SIZES", json.dumps(sizes)))
if not r.ok:
    sys.exit(f"memory failed: {r.stderr}")
for line in r.stdout.splitlines():
    name, _, value = line.rpartition(" ")
    out["bytes: " + name] = float(value)
print(json.dumps(out))
"""


def measure(image: Path, workloads: dict[str, str]) -> dict[str, float]:
    env = dict(os.environ, MICROPY_WASI_IMAGE=str(image))
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(workloads), json.dumps(MEMORY_SIZES)],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"measuring {image} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, help="the image to compare against")
    parser.add_argument("--image", type=Path, help="the image to measure (default: the installed package's)")
    parser.add_argument("--repeat", type=int, default=3, help="measure each image this many times, alternately")
    args = parser.parse_args()
    if args.image is None:
        import micropython_wasi
        args.image = micropython_wasi.image_info().path
    for path in (args.baseline, args.image):
        if not path.is_file():
            sys.exit(f"no image at {path}")

    workloads = dict(DICT_WORKLOADS)
    workloads.update({f"runner: {name}": code for name, code in RUNNER_WORKLOADS.items()})
    # Alternate the two so that changes in the machine's load hit both alike;
    # keep each row's best.
    best: dict[str, dict[str, float]] = {"baseline": {}, "image": {}}
    for _ in range(args.repeat):
        for which, path in (("baseline", args.baseline), ("image", args.image)):
            for key, value in measure(path, workloads).items():
                best[which][key] = min(value, best[which].get(key, value))

    print(f"baseline: {args.baseline}\nimage:    {args.image}\n")
    print(f"{'':<36}{'baseline':>12}{'image':>12}{'ratio':>8}")
    for key in best["baseline"]:
        base, new = best["baseline"][key], best["image"][key]
        unit = " B" if key.startswith("bytes: ") else " us"
        ratio = f"{new / base:>8.2f}" if base else f"{'-':>8}"
        print(f"{key:<36}{base:>9.0f}{unit:<3}{new:>9.0f}{unit:<3}{ratio}")


if __name__ == "__main__":
    main()
