"""What a prepared image saves: a fresh interpreter that has a 200 KiB pure-Python
package imported already, against importing that package from a mount at each
start; and what starting a prepared image costs against the stock image.

Each row is a new Sandbox, one run, close (median and fastest CPU time of
interleaved batches; the guest runs in this process), with its ratio against the stock
image's "Sandbox + run('pass')" in the same run, the stock image given by its
path as the prepared ones are (Sandbox() without image= skips some path
handling: its row shows that); the stock image's second row shows how much
two measurements of the same thing differ. The target: a
prepared image starts as fast as the stock one (within 10 %).

    python benchmarks/bench_prepared_image.py [--rounds 15] [--batch 50] [--mount-batch 2] [--kib 200]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from micropython_wasi import Sandbox, image_info, prepare_image

MODULE = """\
TABLE_{n} = {{"key%d" % j: j * j for j in range(20)}}


def total_{n}_{i}(x, y=3):
    total = 0
    for k in range(x):
        if k % 3 == 0:
            total += k * y
        else:
            total -= k
    return total


class Shape_{n}_{i}:
    def __init__(self, a, b=None):
        self.a = a
        self.b = b if b is not None else [a, a + 1]

    def area(self, scale=1):
        return sum(v * scale for v in self.b) + self.a

    def describe(self):
        return "Shape(%r, %r)" % (self.a, self.b)
"""


def make_package(root: Path, kib: int) -> Path:
    """A package of about `kib` KiB of source: modules of functions and classes."""
    pkg = root / "bigpkg"
    pkg.mkdir()
    names = []
    size = n = 0
    while size < kib * 1024:
        text = "".join(MODULE.format(n=n, i=i) for i in range(12))
        (pkg / f"mod{n}.py").write_text(text)
        names.append(f"mod{n}")
        size += len(text)
        n += 1
    init = "".join(f"from . import {name}\n" for name in names)
    (pkg / "__init__.py").write_text(init)
    return pkg


def per_call(fn: Callable[[], object], batch: int) -> float:
    start = time.process_time()
    for _ in range(batch):
        fn()
    return (time.process_time() - start) / batch


def fresh(source: str, **options: object) -> Callable[[], None]:
    def start_and_run() -> None:
        with Sandbox(**options) as sb:  # type: ignore[arg-type]
            sb.run(source).check()
    return start_and_run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--mount-batch", type=int, default=2, help="batch of the (slow) import from a mount")
    parser.add_argument("--kib", type=int, default=200, help="size of the package's source")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        pkg = make_package(root, args.kib)
        source_size = sum(p.stat().st_size for p in pkg.iterdir())
        started = time.perf_counter()
        empty = prepare_image(root / "empty.wasm")
        with_pkg = prepare_image(root / "app.wasm", files={"/lib/bigpkg": pkg}, setup="import bigpkg")
        prepare_seconds = time.perf_counter() - started
        use = "import bigpkg; bigpkg.mod0.total_0_0(10)"
        stock = str(image_info().path)  # by path, as the prepared images (image=None takes another route)
        cases: dict[str, Callable[[], object]] = {
            "stock image, run('pass')": fresh("pass", image=stock),
            "stock image again (the noise)": fresh("pass", image=stock),
            "stock image as image=None, run('pass')": fresh("pass"),
            "prepared, nothing added, run('pass')": fresh("pass", image=empty),
            "prepared with bigpkg, run('pass')": fresh("pass", image=with_pkg),
            "prepared with bigpkg, use it": fresh(use, image=with_pkg),
            "stock image, import bigpkg from a mount": fresh(use, image=stock, mounts={"/lib/bigpkg": str(pkg)}),
        }
        for fn in cases.values():  # warm: compile, caches
            fn()
        samples: dict[str, list[float]] = {name: [] for name in cases}
        for round_number in range(args.rounds):
            order = list(cases.items())
            for name, fn in order if round_number % 2 else reversed(order):  # (no case always runs first)
                samples[name].append(per_call(fn, args.mount_batch if "mount" in name else args.batch))
        image_sizes = {"stock": None, "empty": empty.stat().st_size, "bigpkg": with_pkg.stat().st_size}

    print(f"# {date.today()} {platform.machine()} {platform.python_implementation()} "
          f"{platform.python_version()}; median of {args.rounds} batches of {args.batch} "
          f"({args.mount_batch} importing from a mount)")
    print(f"# bigpkg: {source_size / 1024:.0f} KiB of source; preparing both images took {prepare_seconds:.2f} s; "
          f"prepared image sizes: nothing added {image_sizes['empty'] / 1024:.0f} KiB, "
          f"with bigpkg {image_sizes['bigpkg'] / 1024:.0f} KiB")
    base = statistics.median(samples["stock image, run('pass')"])
    base_min = min(samples["stock image, run('pass')"])
    print(f"{'case':42} {'ms/start':>9} {'vs stock':>9} {'fastest batch':>14} {'vs stock':>9}")
    for name, values in samples.items():
        median, fastest = statistics.median(values), min(values)
        print(f"{name:42} {median * 1e3:9.2f} {median / base:8.2f}x {fastest * 1e3:14.2f} {fastest / base_min:8.2f}x")
    mount = statistics.median(samples["stock image, import bigpkg from a mount"])
    prepared = statistics.median(samples["prepared with bigpkg, use it"])
    print(f"importing bigpkg from a mount at each start / using the prepared image: {mount / prepared:.1f}x")


if __name__ == "__main__":
    main()
