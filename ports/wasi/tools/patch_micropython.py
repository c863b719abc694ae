"""Make the patched copy of MicroPython that the image and mpy-cross build from.

micropython/ stays pristine (it is a submodule pinned at a release, and an
sdist carries only part of it). The build reads a copy instead, in the build
tree: the parts of micropython/ it compiles (py/, extmod/, shared/, mpy-cross/,
tools/), with ports/wasi/patches/*.patch applied in name order by `patch -p1`;
lib/ (third-party libraries and micropython-lib, never patched) is a symbolic
link to the original.

The copy is redone only when the sources or the patches change (a stamp file
records their digest). Files are rewritten only when their content changes,
so an incremental build recompiles just what a patch added or removed touches.
A patch that does not apply stops the build, naming it.

    python ports/wasi/tools/patch_micropython.py --source micropython \
        --patches ports/wasi/patches --output build/micropython
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

# What the build reads from micropython/ besides lib/ (linked, not copied).
COPIED = ("py", "extmod", "shared", "mpy-cross", "tools", "LICENSE")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "build-*")
STAMP = ".patched.json"
FORMAT = 1  # bump when the way the copy is made changes


class PatchError(Exception):
    pass


def _files(root: Path) -> list[Path]:
    found = []
    for name in COPIED:
        path = root / name
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames[:] = sorted(d for d in dirnames if d != "__pycache__" and d != "build"
                                     and not d.startswith("build-"))
                found.extend(Path(dirpath) / f for f in sorted(filenames) if not f.endswith(".pyc"))
    return found


def digest(source: Path, patches: list[Path]) -> str:
    """A digest of everything the copy is made from."""
    h = hashlib.sha256(f"format {FORMAT}\n".encode())
    for path in _files(source):
        h.update(f"{path.relative_to(source).as_posix()}\0".encode())
        h.update(hashlib.sha256(path.read_bytes()).digest())
    for patch in patches:
        h.update(f"patch {patch.name}\0".encode())
        h.update(hashlib.sha256(patch.read_bytes()).digest())
    return h.hexdigest()


def _patch_program() -> str:
    program = shutil.which("patch")
    if program is None:
        raise PatchError("the build applies ports/wasi/patches/*.patch with the `patch` program, "
                         "which is not installed: install it (e.g. apt-get install patch; on macOS "
                         "it comes with the command line tools)")
    return program


def apply(patch: Path, tree: Path, program: str) -> None:
    """Apply one patch to tree, exactly (no fuzz), or raise naming it."""
    base = [program, "-p1", "--batch", "--forward", "--fuzz=0", "-d", str(tree), "-i", str(patch.resolve())]
    for args in (base + ["--dry-run"], base + ["--quiet"]):
        done = subprocess.run(args, capture_output=True, text=True)
        if done.returncode != 0:
            output = (done.stdout + done.stderr).strip()
            raise PatchError(f"{patch} does not apply to the MicroPython sources: update it against "
                             f"the pinned MicroPython release (micropython/).\n{output}")


def _sync(staging: Path, output: Path) -> None:
    """Make output hold staging's files, rewriting only those that differ."""
    wanted = set()
    for path in _files(staging):
        rel = path.relative_to(staging)
        wanted.add(rel)
        dest = output / rel
        data = path.read_bytes()
        if dest.is_file() and dest.read_bytes() == data:
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        shutil.copymode(path, dest)
    for path in _files(output):
        if path.relative_to(output) not in wanted:
            path.unlink()


def _link_lib(source: Path, output: Path) -> None:
    link = output / "lib"
    target = (source / "lib").resolve()
    if link.is_symlink() and Path(os.readlink(link)) == target:
        return
    if link.is_symlink() or link.is_file():
        link.unlink()
    elif link.exists():
        shutil.rmtree(link)
    link.symlink_to(target, target_is_directory=True)


def make_copy(source: Path, patch_dir: Path, output: Path) -> bool:
    """Bring output up to date; return whether anything had to be redone."""
    if not (source / "py" / "mpconfig.h").is_file():
        raise PatchError(f"{source} holds no MicroPython sources (py/mpconfig.h is missing)")
    patches = sorted(patch_dir.glob("*.patch")) if patch_dir.is_dir() else []
    stamp = output / STAMP
    want = digest(source, patches)
    try:
        if json.loads(stamp.read_text()).get("digest") == want and (output / "lib").is_symlink():
            return False
    except (OSError, ValueError):
        pass
    program = _patch_program() if patches else ""
    output.mkdir(parents=True, exist_ok=True)
    staging = output.parent / (output.name + ".staging")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        for name in COPIED:
            if (source / name).is_dir():
                shutil.copytree(source / name, staging / name, ignore=IGNORED)
            elif (source / name).is_file():
                shutil.copyfile(source / name, staging / name)
        for patch in patches:
            apply(patch, staging, program)
        stamp.unlink(missing_ok=True)
        _sync(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _link_lib(source, output)
    stamp.write_text(json.dumps({"digest": want, "patches": [p.name for p in patches]}, indent=1) + "\n")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="pristine MicroPython tree")
    parser.add_argument("--patches", type=Path, required=True, help="directory of *.patch files")
    parser.add_argument("--output", type=Path, required=True, help="where the patched copy goes")
    args = parser.parse_args(argv)
    try:
        redone = make_copy(args.source.resolve(), args.patches.resolve(), args.output.resolve())
    except PatchError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if redone:
        patches = json.loads((args.output / STAMP).read_text())["patches"]
        print(f"MicroPython sources patched into {args.output}: {', '.join(patches) or 'no patches'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
