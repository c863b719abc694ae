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


def module_name(target_path: str) -> str:
    """Module name of a frozen file's target path: pkg/sub/__init__.py -> pkg.sub."""
    return target_path.removesuffix(".py").removesuffix(".mpy").replace("/__init__", "").replace("/", ".")


def frozen_modules(port_build: Path) -> list[str]:
    frozen = port_build / "frozen_content.c"
    # (Without a record of frozen inputs, a frozen_content.c is left over from an earlier build.)
    if not frozen.exists() or not (port_build / "frozen_inputs.json").exists():
        return []
    text = frozen.read_text()
    match = re.search(r"mp_frozen_names\[\] = \{(.*?)\};", text, re.S)
    if not match:
        return []
    names = re.findall(r'"([^"]*)\\0"', match.group(1))
    return sorted(module_name(n) for n in names if n)


def build_options(port_build: Path, image_config: Path | None, modules: list[str]) -> dict[str, object]:
    """What the image was built from beyond its variant: module changes, user C modules, user frozen code."""
    config = json.loads(image_config.read_text()) if image_config and image_config.exists() else {}
    user_c = [
        {"path": entry["path"], "modules": [m for m in entry.get("modules", []) if m in modules]}
        for entry in config.get("user_c_modules", [])
    ]
    inputs = port_build / "frozen_inputs.json"
    files = json.loads(inputs.read_text())["files"] if inputs.exists() else []
    return {
        "module_changes": config.get("module_changes", []),
        "user_c_modules": user_c,
        "user_frozen_modules": sorted({module_name(f["target"]) for f in files if f.get("user")}),
        "user_frozen_files": {f["target"]: f["source"] for f in files if f.get("user")},
        "freeze": config.get("freeze", []),
        "freeze_manifests": config.get("freeze_manifests", []),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port-build", type=Path, required=True)
    parser.add_argument("--micropython", type=Path, required=True)
    parser.add_argument("--variant", required=True)
    parser.add_argument("--compiler", required=True)
    parser.add_argument("--wasm-opt", required=True)
    parser.add_argument("--gc-roots", choices=["all", "locals", "none"], required=True)
    parser.add_argument("--gc-torture", required=True)
    parser.add_argument("--image-format", choices=["reactor", "command"], default="reactor",
                        help="reactor (for the Python runner) or command (a WASI command)")
    parser.add_argument("--build-clock", type=Path)
    parser.add_argument("--image-config", type=Path, help="image_config.json from the port's configure step")
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()

    source = args.port_build / "micropython.wasm"
    tmp = args.output.with_suffix(".wasm.tmp")
    shutil.copyfile(source, tmp)
    tmp.replace(args.output)
    data = args.output.read_bytes()

    modules = builtin_modules(args.port_build)
    manifest = {
        "format": 1,
        "micropython_version": micropython_version(args.micropython),
        "micropython_git": micropython_git_describe(args.micropython),
        "variant": args.variant,
        "modules": modules,
        "frozen_modules": frozen_modules(args.port_build),
        **build_options(args.port_build, args.image_config, modules),
        "toolchain": {"compiler": args.compiler, "wasm_opt": args.wasm_opt},
        # How the GC finds roots held by wasm code (ports/wasi/CMakeLists.txt).
        "gc_roots": args.gc_roots,
        "gc_torture": args.gc_torture.upper() in ("ON", "1", "TRUE", "YES"),
        # ("format" is this manifest's own version.)
        "image_format": args.image_format,
        "image_size": len(data),
        "image_sha256": hashlib.sha256(data).hexdigest(),
    }
    manifest_path = args.output.with_suffix(".json")
    tmp_manifest = manifest_path.with_suffix(".json.tmp")
    tmp_manifest.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    tmp_manifest.replace(manifest_path)

    took = ""
    if args.build_clock and args.build_clock.exists():
        took = f", built in {time.time() - args.build_clock.stat().st_mtime:.1f} s"
    changes = "".join(" " + c for c in manifest["module_changes"])
    print(f"micropython.wasm: {len(data) / 1024:.1f} KiB, MicroPython {manifest['micropython_version']}, "
          f"variant {args.variant}{changes}, {args.image_format}, {len(manifest['modules'])} built-in and "
          f"{len(manifest['frozen_modules'])} frozen modules{took}")


if __name__ == "__main__":
    main()
