"""Size of the WASI command image against the reactor image, per variant.

Builds both formats of each variant with `micropython-wasi build` (into the
default build directories, build/image-VARIANT and build/image-VARIANT-command,
so a second run only redoes what changed) and prints their sizes, the ratio
command/reactor, and what each imports.

    python benchmarks/command_size.py [--variant NAME ...]

Runs from a source checkout (it imports the package from python/).
"""

from __future__ import annotations

import argparse
import datetime
import platform
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "python"))

import wasmtime  # noqa: E402

from micropython_wasi._build import build  # noqa: E402


def import_modules(image: Path) -> str:
    config = wasmtime.Config()
    config.wasm_exceptions = True
    module = wasmtime.Module.from_file(wasmtime.Engine(config), str(image))
    return " ".join(sorted({i.module for i in module.imports}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", action="append", help="variant(s) to measure (default: standard)")
    args = parser.parse_args()
    print(f"{datetime.date.today()}, {platform.machine()} {platform.system()}")
    print(f"{'variant':10} {'reactor':>12} {'command':>12} {'command/reactor':>16}  command imports")
    with tempfile.TemporaryDirectory() as tmp:
        for variant in args.variant or ["standard"]:
            sizes = {}
            for image_format in ("reactor", "command"):
                image = Path(tmp) / f"{variant}-{image_format}.wasm"
                build(image, variant=variant, format=image_format, source=REPO)
                sizes[image_format] = image.stat().st_size
            ratio = sizes["command"] / sizes["reactor"]
            print(f"{variant:10} {sizes['reactor'] / 1024:>8.1f} KiB {sizes['command'] / 1024:>8.1f} KiB "
                  f"{ratio:>16.3f}  {import_modules(Path(tmp) / f'{variant}-command.wasm')}")


if __name__ == "__main__":
    main()
