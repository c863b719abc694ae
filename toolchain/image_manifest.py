"""Finish a port build: copy the image and describe it in a JSON manifest.

The manifest (micropython.json, next to micropython.wasm) records what the
image contains and how it was made; the runner reads it to describe an image.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import time
from pathlib import Path


def micropython_version(mp_dir: Path) -> str:
    text = (mp_dir / "py" / "mpconfig.h").read_text()
    parts = [re.search(rf"#define MICROPY_VERSION_{p} (\d+)", text).group(1) for p in ("MAJOR", "MINOR", "MICRO")]
    return ".".join(parts)


def micropython_git_describe(mp_dir: Path) -> str | None:
    try:
        out = subprocess.run(["git", "-C", str(mp_dir), "describe", "--tags", "--dirty"],
                             capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    return out.stdout.strip() or None


def builtin_modules(port_build: Path) -> list[str]:
    text = (port_build / "genhdr" / "moduledefs.h").read_text()
    names = set(re.findall(r"MP_ROM_QSTR\(MP_QSTR_(\w+)\)", text))
    return sorted(name.replace("_dot_", ".") for name in names)


def frozen_modules(port_build: Path) -> list[str]:
    frozen = port_build / "frozen_content.c"
    if not frozen.exists():
        return []
    text = frozen.read_text()
    match = re.search(r"mp_frozen_names\[\] = \{(.*?)\};", text, re.S)
    if not match:
        return []
    names = re.findall(r'"([^"]*)\\0"', match.group(1))
    return sorted(n.removesuffix(".py").replace("/__init__", "").replace("/", ".") for n in names if n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port-build", type=Path, required=True)
    parser.add_argument("--micropython", type=Path, required=True)
    parser.add_argument("--variant", required=True)
    parser.add_argument("--compiler", required=True)
    parser.add_argument("--wasm-opt", required=True)
    parser.add_argument("--spill-pointers", required=True)
    parser.add_argument("--build-clock", type=Path)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()

    source = args.port_build / "micropython.wasm"
    tmp = args.output.with_suffix(".wasm.tmp")
    shutil.copyfile(source, tmp)
    tmp.replace(args.output)
    data = args.output.read_bytes()

    manifest = {
        "format": 1,
        "micropython_version": micropython_version(args.micropython),
        "micropython_git": micropython_git_describe(args.micropython),
        "variant": args.variant,
        "modules": builtin_modules(args.port_build),
        "frozen_modules": frozen_modules(args.port_build),
        "toolchain": {"compiler": args.compiler, "wasm_opt": args.wasm_opt},
        "gc_spill_pointers": args.spill_pointers.upper() in ("ON", "1", "TRUE", "YES"),
        "image_size": len(data),
        "image_sha256": hashlib.sha256(data).hexdigest(),
    }
    manifest_path = args.output.with_suffix(".json")
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")

    took = ""
    if args.build_clock and args.build_clock.exists():
        took = f", built in {time.time() - args.build_clock.stat().st_mtime:.1f} s"
    print(f"micropython.wasm: {len(data) / 1024:.1f} KiB, MicroPython {manifest['micropython_version']}, "
          f"variant {args.variant}, {len(manifest['modules'])} built-in and "
          f"{len(manifest['frozen_modules'])} frozen modules{took}")


if __name__ == "__main__":
    main()
