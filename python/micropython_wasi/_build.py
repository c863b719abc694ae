"""Build custom interpreter images: `micropython-wasi build` and micropython_wasi.build().

A custom image is built from a source tree of this project (a git checkout
with its submodules, or an unpacked sdist) by the same CMake build as the
wheel's image, with a variant, built-in modules added or removed, user C
modules and frozen Python code. The build directory is kept, so a rebuild
after a small change only redoes what changed. The image and its JSON
manifest are written to the output path only when the build succeeded, and
atomically: a reader never sees a half-written image.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import IO
from urllib.parse import unquote, urlparse

from ._build_log import Reporter, build_failure
from ._image import ImageInfo, describe_image, image_info
from ._version import __version__
from .errors import BuildError

SOURCE_ENV_VAR = "MICROPY_WASI_SOURCE"
DEFAULT_VARIANT = "standard"
# Image formats: a reactor is what this package's runner embeds; a command is
# a standard WASI command that any WASI runtime runs like the `micropython` binary.
FORMATS = ("reactor", "command")

__all__ = ["BuildError", "build", "describe_image", "find_source", "main", "variants"]

Progress = Callable[[str], None]
PathArg = str | os.PathLike[str]


# -- the source tree -----------------------------------------------------------------


def _is_source_tree(path: Path) -> bool:
    return (path / "ports" / "wasi" / "CMakeLists.txt").is_file()


def _installed_from() -> tuple[Path | None, bool]:
    """The local directory this package was pip-installed from, and whether the install is editable."""
    try:
        text = importlib.metadata.distribution("micropython-wasi").read_text("direct_url.json")
    except importlib.metadata.PackageNotFoundError:
        return None, False
    if not text:
        return None, False
    try:
        info = json.loads(text)
    except ValueError:
        return None, False
    url = urlparse(info.get("url", ""))
    if url.scheme != "file":
        return None, False
    return Path(unquote(url.path)), bool(info.get("dir_info", {}).get("editable"))


def find_source(source: PathArg | None = None) -> Path:
    """The source tree to build from.

    In order: `source`; $MICROPY_WASI_SOURCE; the checkout of an editable
    install; the current directory or one of its parents; the directory a
    regular install was made from, if it is still there.
    """
    if source is not None:
        path = Path(source).expanduser().resolve()
        if not _is_source_tree(path):
            raise BuildError(f"--source {path} is not a micropython-wasi source tree "
                             f"(it has no ports/wasi/CMakeLists.txt): give the top directory of a checkout or sdist")
        return path
    env = os.environ.get(SOURCE_ENV_VAR)
    if env:
        path = Path(env).expanduser().resolve()
        if not _is_source_tree(path):
            raise BuildError(f"${SOURCE_ENV_VAR}={env} is not a micropython-wasi source tree "
                             f"(it has no ports/wasi/CMakeLists.txt)")
        return path
    origin, editable = _installed_from()
    if origin is not None and editable and _is_source_tree(origin):
        return origin.resolve()
    cwd = Path.cwd().resolve()
    for path in (cwd, *cwd.parents):
        if _is_source_tree(path):
            return path
    if origin is not None and _is_source_tree(origin):
        return origin.resolve()
    raise BuildError(
        "no micropython-wasi source tree found: run this in a checkout "
        "(git clone --recurse-submodules <repository>) or an unpacked sdist, or pass --source DIR")


# The source tree's image-config module, and the version of its contract (its API_VERSION) this module drives.
IMAGE_CONFIG = Path("ports", "wasi", "tools", "image_config.py")
IMAGE_CONFIG_API_VERSION = 1


def _check_submodule(source: Path) -> None:
    if not (source / "micropython" / "py" / "mpconfig.h").is_file():
        raise BuildError(
            f"the MicroPython sources are missing from {source / 'micropython'}: in a git checkout run "
            f"`git submodule update --init micropython && git -C micropython submodule update --init lib/micropython-lib`")


def _load_image_config(source: Path) -> ModuleType:
    """ports/wasi/tools/image_config.py of the source tree (the module table and the input checks), if it
    is the version this package drives."""
    path = source / IMAGE_CONFIG
    if not path.is_file():
        raise BuildError(
            f"{source} has no {IMAGE_CONFIG.as_posix()}: it is from another version of micropython-wasi "
            f"(micropython-wasi {__version__} needs its API_VERSION {IMAGE_CONFIG_API_VERSION}): build from the "
            f"source tree of this version (--source), or install micropython-wasi from that source tree")
    name = "_micropython_wasi_image_config"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise BuildError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # (dataclasses look their module up)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # noqa: BLE001 - any failure of foreign code is a bad source tree
        sys.modules.pop(name, None)
        raise BuildError(f"cannot load {path}: {type(exc).__name__}: {exc}") from exc
    version = getattr(module, "API_VERSION", None)
    if version != IMAGE_CONFIG_API_VERSION:
        raise BuildError(
            f"{path} is from another version of micropython-wasi (its API_VERSION is {version}; "
            f"micropython-wasi {__version__} needs {IMAGE_CONFIG_API_VERSION}): build from the source tree "
            f"of this version (--source), or install micropython-wasi from that source tree")
    return module


def variants(source: Path) -> list[str]:
    """Names of the variants in a source tree."""
    names: list[str] = _load_image_config(source).variants(source / "ports" / "wasi")
    return names


# -- checking the inputs --------------------------------------------------------------


def _paths(values: Iterable[PathArg] | PathArg | None) -> list[Path]:
    if values is None:
        return []
    if isinstance(values, (str, os.PathLike)):
        values = [values]
    return [Path(v).expanduser().resolve() for v in values]


def _check_output(output: Path) -> None:
    if output.suffix != ".wasm":
        raise BuildError(f"output {output} must end in .wasm (its manifest is written next to it as .json)")
    if output.is_dir():
        raise BuildError(f"output {output} is a directory: give a file name ending in .wasm")
    if not output.parent.is_dir():
        raise BuildError(f"output directory {output.parent} does not exist")


# -- running the build ----------------------------------------------------------------


@contextlib.contextmanager
def _locked(build_dir: Path, progress: Progress) -> Iterator[None]:
    """Hold the build directory while building (one build at a time in it)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no locking
        yield
        return
    with open(build_dir / ".build-lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            progress(f"waiting for another build in {build_dir} to finish")
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run(cmd: Sequence[str], log: IO[str], reporter: Reporter, env: dict[str, str]) -> tuple[int, list[str]]:
    """Run a command, logging and reporting its output; its exit status and output lines."""
    log.write("$ " + " ".join(cmd) + "\n")
    log.flush()
    lines: list[str] = []
    try:
        # Its own process group: an interrupted build stops its compilers too.
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                errors="replace", env=env, bufsize=1, start_new_session=os.name == "posix")
    except OSError as exc:
        raise BuildError(f"cannot run {cmd[0]}: {exc}") from exc
    assert proc.stdout is not None
    try:
        for raw in proc.stdout:
            line = raw.rstrip("\n")
            lines.append(line)
            log.write(raw)
            reporter.line(line)
    except BaseException:
        if os.name == "posix":
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGTERM)
        proc.kill()
        proc.wait()
        raise
    return proc.wait(), lines


def _replace_atomically(source: Path, dest: Path) -> None:
    """Copy source over dest so that dest is always either the old or the whole new file."""
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        shutil.copyfile(source, tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except OSError as exc:
        raise BuildError(f"cannot write {dest}: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


def _find_tool(name: str) -> str | None:
    """A build tool on PATH, or installed from PyPI next to this Python (a venv need not be activated)."""
    found = shutil.which(name)
    if found is None:
        found = shutil.which(name, path=str(Path(sys.executable).parent))
    return found


def _generator_args(build_dir: Path) -> list[str]:
    if (build_dir / "CMakeCache.txt").is_file():
        return []  # keep the generator the directory was configured with
    ninja = _find_tool("ninja")
    if ninja is not None:
        return ["-G", "Ninja", f"-DCMAKE_MAKE_PROGRAM={ninja}"]
    return []


def build(
    output: PathArg | None = None,
    *,
    variant: str = DEFAULT_VARIANT,
    format: str = "reactor",
    modules: Iterable[str] | str | None = None,
    c_modules: Iterable[PathArg] | PathArg | None = None,
    freeze: Iterable[PathArg] | PathArg | None = None,
    manifests: Iterable[PathArg] | PathArg | None = None,
    source: PathArg | None = None,
    build_dir: PathArg | None = None,
    jobs: int | None = None,
    cmake_args: Iterable[str] = (),
    progress: Progress | None = None,
    verbose: bool = False,
) -> ImageInfo:
    """Build an interpreter image and return what is in it.

    output: the image to write (default micropython-VARIANT.wasm in the
        current directory); its manifest goes next to it as .json.
    variant: a directory under ports/wasi/variants: minimal, standard, full.
    format: "reactor" (default), the image this package's runner uses, or
        "command", a WASI command for any WASI runtime (`wasmtime run`).
    modules: built-in modules to add ("+framebuf") or remove ("-re").
    c_modules: user C module directories (with micropython.cmake or micropython.mk).
    freeze: package directories and .py files to freeze as bytecode.
    manifests: MicroPython manifest.py files to freeze (require() works).
    source: the source tree (default: see find_source()).
    build_dir: where to build (default SOURCE/build/image-VARIANT, with
        -command for a command image); reused by
        later builds, so that they only redo what changed.
    jobs: parallel compile jobs (default: the number of CPUs).
    cmake_args: more -D options for the top-level CMake project.
    progress: called with progress lines (all build output when verbose).

    Raises BuildError, whose message says what went wrong and how to fix it.
    """
    say: Progress = progress or (lambda _line: None)
    started = time.monotonic()
    if format not in FORMATS:
        raise BuildError(f"unknown image format {format!r}: use {' or '.join(FORMATS)}")
    src = find_source(source)
    _check_submodule(src)
    config = _load_image_config(src)
    changes: list[str] = config.split_list(modules, ";,")
    c_dirs, freeze_paths, manifest_paths = _paths(c_modules), _paths(freeze), _paths(manifests)
    try:
        # (Running the manifests now reports their errors before a build that takes minutes.)
        config.check_inputs(src / "ports" / "wasi", variant=variant, changes=changes, c_modules=c_dirs,
                            freeze=freeze_paths, manifests=manifest_paths, mpy_dir=src / "micropython")
    except config.ConfigError as exc:
        raise BuildError(str(exc)) from None
    suffix = "-command" if format == "command" else ""
    out = (Path(output).expanduser().resolve() if output is not None
           else Path.cwd() / f"micropython-{variant}{suffix}.wasm")
    _check_output(out)
    bdir = (Path(build_dir).expanduser().resolve() if build_dir is not None
            else src / "build" / f"image-{variant}{suffix}")
    bdir.mkdir(parents=True, exist_ok=True)

    cmake = _find_tool("cmake")
    if cmake is None:
        raise BuildError("cmake was not found: install CMake >= 3.20 "
                         "(pip install 'micropython-wasi[build]', or your system's package)")

    def joined(paths: list[Path]) -> str:
        return ";".join(str(p) for p in paths)

    configure = [
        cmake, "-S", str(src), "-B", str(bdir), *_generator_args(bdir),
        f"-DMICROPY_WASI_VARIANT={variant}",
        f"-DMICROPY_WASI_FORMAT={format}",
        f"-DMICROPY_WASI_MODULES={';'.join(changes)}",
        f"-DUSER_C_MODULES={joined(c_dirs)}",
        f"-DMICROPY_WASI_FREEZE={joined(freeze_paths)}",
        f"-DMICROPY_WASI_FREEZE_MANIFESTS={joined(manifest_paths)}",
        "-DMICROPY_FROZEN_MANIFEST=",
        # This Python (and its ziglang) for the build, even from a venv that is not activated.
        f"-DPython3_EXECUTABLE={sys.executable}",
        *cmake_args,
    ]
    env = dict(os.environ)
    env["CMAKE_BUILD_PARALLEL_LEVEL"] = str(jobs or os.cpu_count() or 2)
    log_path = bdir / "build.log"
    reporter = Reporter(say, verbose)
    description = variant + "".join(" " + c for c in changes) + ("" if format == "reactor" else f" {format}")
    with _locked(bdir, say), open(log_path, "w") as log:
        say(f"building a {description} image in {bdir}")
        status, lines = _run(configure, log, reporter, env)
        if status != 0:
            raise build_failure(lines, bdir, log_path)
        status, lines = _run([cmake, "--build", str(bdir)], log, reporter, env)
        if status != 0:
            raise build_failure(lines, bdir, log_path)
        image = bdir / "micropython.wasm"
        if not image.is_file() or not image.with_suffix(".json").is_file():
            raise BuildError(f"the build finished without writing {image} (full log: {log_path})")
        # Manifest first, then the image: each replaced atomically.
        _replace_atomically(image.with_suffix(".json"), out.with_suffix(".json"))
        _replace_atomically(image, out)
    info = image_info(out)
    say(f"wrote {out} ({out.stat().st_size / 1024:.1f} KiB: {len(info.modules)} built-in and "
        f"{len(info.frozen_modules)} frozen modules) in {time.monotonic() - started:.1f} s")
    return info


# -- the command ---------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="micropython-wasi build",
        description="Build a custom interpreter image from a micropython-wasi source tree.",
        epilog="Example: micropython-wasi build --variant minimal --module +json -o small.wasm  "
               "(see docs/build.md)",
    )
    parser.add_argument("--variant", default=DEFAULT_VARIANT, help="minimal, standard (default) or full")
    parser.add_argument("--format", choices=FORMATS, default="reactor",
                        help="reactor (default): for this package's runner; command: a WASI command that any "
                             "WASI runtime runs like the micropython binary (wasmtime run --dir . OUT.wasm script.py)")
    parser.add_argument("--module", dest="modules", action="append", default=[], metavar="+NAME|-NAME",
                        help="add (+NAME) or remove (-NAME) a built-in module; repeatable")
    parser.add_argument("--c-module", dest="c_modules", action="append", default=[], metavar="DIR",
                        help="user C module directory (micropython.cmake or micropython.mk); repeatable")
    parser.add_argument("--freeze", action="append", default=[], metavar="PATH",
                        help="package directory or .py file to freeze as bytecode; repeatable")
    parser.add_argument("--manifest", dest="manifests", action="append", default=[], metavar="FILE",
                        help="MicroPython manifest.py to freeze (require() works); repeatable")
    parser.add_argument("-o", "--output", metavar="OUT.wasm",
                        help="image to write (default: micropython-VARIANT.wasm, or micropython-VARIANT-command.wasm); "
                             "OUT.json is written next to it")
    parser.add_argument("--source", metavar="DIR", help="micropython-wasi source tree (default: found automatically)")
    parser.add_argument("--build-dir", metavar="DIR", help="build directory, kept for fast rebuilds "
                        "(default: SOURCE/build/image-VARIANT[-command])")
    parser.add_argument("-j", "--jobs", type=int, metavar="N", help="parallel compile jobs")
    parser.add_argument("-D", dest="cmake_args", action="append", default=[], metavar="VAR=VALUE",
                        help="extra CMake option for the build")
    parser.add_argument("-v", "--verbose", action="store_true", help="show all build output")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    parser.add_argument("--list", action="store_true", help="list variants and modules, then exit")
    return parser


def _print_progress(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _list_text(source: PathArg | None) -> str:
    src = find_source(source)
    config = _load_image_config(src)
    lines = [f"variants: {', '.join(variants(src))}", "modules (+NAME / -NAME):"]
    lines += [f"  {name:12} {module.summary}" for name, module in config.MODULES.items()]
    lines.append(f"always present: {', '.join(config.CORE_MODULES)}")
    return "\n".join(lines)


def _attach_module_values(argv: Sequence[str]) -> list[str]:
    """Let `--module -re` mean `--module=-re` (argparse would take -re for an option)."""
    joined: list[str] = []
    items = iter(argv)
    for item in items:
        if item == "--module":
            value = next(items, None)
            if value is not None:
                joined.append(f"--module={value}")
                continue
        joined.append(item)
    return joined


def main(argv: Sequence[str] | None = None) -> int:
    """`micropython-wasi build ...`: 0 on success, 1 when the build fails, 2 on bad arguments."""
    args = _parser().parse_args(_attach_module_values(sys.argv[1:] if argv is None else argv))
    try:
        if args.list:
            print(_list_text(args.source))
            return 0
        info = build(
            args.output, variant=args.variant, format=args.format, modules=args.modules, c_modules=args.c_modules,
            freeze=args.freeze, manifests=args.manifests, source=args.source, build_dir=args.build_dir,
            jobs=args.jobs, cmake_args=[f"-D{d}" for d in args.cmake_args],
            progress=None if args.quiet else _print_progress, verbose=args.verbose,
        )
    except BuildError as exc:
        print(f"micropython-wasi build: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("micropython-wasi build: interrupted", file=sys.stderr)
        return 130
    if not args.quiet:
        print(describe_image(info))
    return 0


if __name__ == "__main__":
    sys.exit(main())

