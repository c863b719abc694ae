"""Build time and image size per variant, with `micropython-wasi build`.

For each variant: a clean build (a new build directory: mpy-cross, the port,
wasm-opt), then an incremental rebuild after one frozen file changed, and the
image's size. The numbers are printed as a table (the one docs/build.md and
README quote) and saved to benchmarks/results/build_sizes.json.

    python benchmarks/build_sizes.py [--variant NAME ...] [--jobs N]

Runs from a source checkout and needs nothing installed but the build
requirements (it imports the package from python/). Set WASM_OPT to reuse a
wasm-opt, otherwise each clean build installs binaryen from npm (cached by npm).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "python"))

from micropython_wasi._build import build, variants  # noqa: E402


def measure(variant: str, work: Path, jobs: int | None, source: Path) -> dict[str, Any]:
    """Clean and incremental build of one variant, with a small frozen package."""
    package = work / "src" / f"bench_{variant}"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("VALUE = 1\n")
    (package / "util.py").write_text("def double(x):\n    return 2 * x\n")
    build_dir = work / f"build-{variant}"
    output = work / f"{variant}.wasm"

    started = time.monotonic()
    build(output, variant=variant, freeze=[package], build_dir=build_dir, jobs=jobs, source=source)
    clean = time.monotonic() - started
    size_with_package = output.stat().st_size

    (package / "util.py").write_text("def double(x):\n    return x + x\n")
    started = time.monotonic()
    build(output, variant=variant, freeze=[package], build_dir=build_dir, jobs=jobs, source=source)
    incremental = time.monotonic() - started

    # The variant's own image (as `--variant NAME` builds it), from the same build directory.
    plain = work / f"{variant}-plain.wasm"
    plain_info = build(plain, variant=variant, build_dir=build_dir, jobs=jobs, source=source)
    return {
        "variant": variant,
        "clean_build_s": round(clean, 1),
        "incremental_build_s": round(incremental, 1),
        "image_bytes": plain.stat().st_size,
        "image_with_package_bytes": size_with_package,
        "builtin_modules": len(plain_info.modules),
        "frozen_modules": len(plain_info.frozen_modules),
        "modules": plain_info.modules,
        "frozen": plain_info.frozen_modules,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", action="append", help="variant to measure (default: all)")
    parser.add_argument("--jobs", type=int, help="parallel compile jobs (default: CPUs)")
    parser.add_argument("--keep", action="store_true", help="keep the build directories")
    parser.add_argument("--source", type=Path, default=REPO, help="source tree to build (default: this one)")
    args = parser.parse_args()

    names = args.variant or variants(args.source)
    load_before = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="mpw-bench-"))
    results = []
    try:
        for name in names:
            print(f"== {name}", file=sys.stderr, flush=True)
            results.append(measure(name, work, args.jobs, args.source.resolve()))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    machine = (f"{platform.machine()}, {os.cpu_count()} CPUs, "
               f"load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after")
    print(f"\nBuild times and image sizes ({machine}; wasm-opt "
          f"{'from WASM_OPT' if os.environ.get('WASM_OPT') else 'installed from npm'}):\n")
    print("| variant | image size | built-in modules | frozen modules | clean build | rebuild after one frozen file changed |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(f"| {r['variant']} | {r['image_bytes'] / 1024:.0f} KiB | {r['builtin_modules']} | "
              f"{r['frozen_modules']} | {r['clean_build_s']} s | {r['incremental_build_s']} s |")
    out = REPO / "benchmarks" / "results" / "build_sizes.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")
    print(f"\n(saved to {out.relative_to(REPO)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
