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
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import IO
from urllib.parse import unquote, urlparse

from ._image import ImageInfo, image_info
from .errors import BuildError

SOURCE_ENV_VAR = "MICROPY_WASI_SOURCE"
DEFAULT_VARIANT = "standard"

__all__ = ["BuildError", "build", "describe_image", "find_source", "main", "variants"]

Progress = Callable[[str], None]
PathArg = str | os.PathLike[str]


# -- the source tree -----------------------------------------------------------------


def _is_source_tree(path: Path) -> bool:
    return (path / "ports" / "wasi" / "CMakeLists.txt").is_file() and (path / "toolchain" / "image_config.py").is_file()


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


def _load_image_config(source: Path) -> ModuleType:
    """toolchain/image_config.py of the source tree: the module table and input checks."""
    path = source / "toolchain" / "image_config.py"
    spec = importlib.util.spec_from_file_location("_micropython_wasi_image_config", path)
    if spec is None or spec.loader is None:
        raise BuildError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (dataclasses look their module up)
    spec.loader.exec_module(module)
    return module


def variants(source: Path) -> list[str]:
    """Names of the variants in a source tree."""
    root = source / "ports" / "wasi" / "variants"
    return sorted(p.name for p in root.iterdir() if (p / "mpconfigvariant.h").is_file())


# -- checking the inputs --------------------------------------------------------------


def _paths(values: Iterable[PathArg] | PathArg | None) -> list[Path]:
    if values is None:
        return []
    if isinstance(values, (str, os.PathLike)):
        values = [values]
    return [Path(v).expanduser().resolve() for v in values]


def _module_changes(modules: Iterable[str] | str | None) -> list[str]:
    if modules is None:
        return []
    if isinstance(modules, str):
        modules = [modules]
    changes: list[str] = []
    for item in modules:
        changes.extend(part.strip() for part in re.split(r"[;,]", item) if part.strip())
    return changes


def _check_inputs(
    source: Path, variant: str, changes: list[str], c_modules: list[Path], freeze: list[Path],
    manifests: list[Path], output: Path,
) -> None:
    if not (source / "micropython" / "py" / "mpconfig.h").is_file():
        raise BuildError(
            f"the MicroPython sources are missing from {source / 'micropython'}: in a git checkout run "
            f"`git submodule update --init micropython && git -C micropython submodule update --init lib/micropython-lib`")
    config = _load_image_config(source)
    known = variants(source)
    if variant not in known:
        raise BuildError(f"unknown variant {variant!r}; valid variants: {', '.join(known)}")
    try:
        config.parse_module_changes(changes)
    except config.ConfigError as exc:
        raise BuildError(str(exc)) from None
    for path in c_modules:
        if not path.exists():
            raise BuildError(f"C module directory not found: {path}")
        if not path.is_dir():
            raise BuildError(f"C module {path} is not a directory: give the directory holding micropython.cmake")
        if not config.is_c_module(path) and not any(config.is_c_module(p) for p in path.iterdir()):
            raise BuildError(f"{path} is not a C module: it needs a micropython.cmake or micropython.mk "
                             f"(in it, or in its subdirectories)")
    for path in freeze:
        if not path.exists():
            raise BuildError(f"freeze path not found: {path}")
        if path.is_file() and path.suffix != ".py":
            raise BuildError(f"cannot freeze {path}: give a package directory, a .py file, or a manifest with --manifest")
    for path in manifests:
        if not path.is_file():
            raise BuildError(f"manifest not found: {path}")
    if freeze or manifests:
        # Run the manifests now (without compiling) for their errors, rather than minutes into the build.
        with tempfile.TemporaryDirectory() as tmp:
            try:
                _, text = config.frozen_manifests(None, [], manifests, freeze)
                (Path(tmp) / "base_manifest.py").write_text("")
                (Path(tmp) / "manifest.py").write_text(text)
                config.list_frozen(Path(tmp) / "manifest.py", source / "micropython", source / "ports" / "wasi")
            except config.ConfigError as exc:
                raise BuildError(str(exc)) from None
    if output.suffix != ".wasm":
        raise BuildError(f"output {output} must end in .wasm (its manifest is written next to it as .json)")
    if output.is_dir():
        raise BuildError(f"output {output} is a directory: give a file name ending in .wasm")


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


class _Reporter:
    """Turns build output into a few progress lines (or passes it all through when verbose)."""

    def __init__(self, progress: Progress, verbose: bool) -> None:
        self.progress = progress
        self.verbose = verbose
        self.phase = ""
        self.reported_step = -1

    def _say(self, phase: str, text: str | None = None) -> None:
        if phase != self.phase:
            self.phase = phase
            self.progress(text or phase)

    def line(self, line: str) -> None:
        if self.verbose:
            self.progress(line)
            return
        if "Building mpy-cross" in line:
            self._say("mpy-cross", "building mpy-cross (host compiler)")
        elif line.startswith("Including User C Module") or line.startswith("-- Configuring done"):
            pass
        elif "Performing configure step for 'port'" in line:
            self._say("configure-port", "configuring the port")
        elif line.startswith("MPY "):
            self._say("freeze", "freezing Python code")
        elif "Building C object" in line:
            # Ninja counts steps, make shows a percentage.
            match = re.match(r"\[(\d+)/(\d+)\]", line) or re.match(r"\[\s*(\d+)(%)\]", line)
            if match:
                done = int(match.group(1))
                total = 100 if match.group(2) == "%" else int(match.group(2))
                step = done * 4 // max(total, 1)  # report every quarter
                if self.phase != "compile" or step > self.reported_step:
                    self.phase = "compile"
                    self.reported_step = step
                    label = f"{done}%" if match.group(2) == "%" else f"{done}/{total}"
                    self.progress(f"compiling C: {label}")
        elif "Linking C executable" in line:
            self._say("link", "linking")
        elif "wasm-opt: micropython.wasm" in line:
            self._say("wasm-opt", "optimising (wasm-opt)")


def _run(cmd: Sequence[str], log: IO[str], reporter: _Reporter, env: dict[str, str]) -> tuple[int, list[str]]:
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


def _cmake_error(lines: list[str]) -> str | None:
    """The first CMake error's message, as one line."""
    for i, line in enumerate(lines):
        if line.startswith("CMake Error"):
            message: list[str] = []
            for follow in lines[i + 1:]:
                if not follow.strip():
                    if message:
                        break
                    continue
                if not follow.startswith(" "):
                    break
                message.append(follow.strip())
            if message:
                return " ".join(message)
    return None


def _failed_step(lines: list[str]) -> list[str]:
    """Output of the first failed build step (after ninja's FAILED: and command lines)."""
    for i, line in enumerate(lines):
        if line.startswith("FAILED: "):
            block = []
            for follow in lines[i + 2:]:
                if follow.startswith("ninja: build stopped") or follow.startswith("FAILED: ") or re.match(r"\[\d+/\d+\] ", follow):
                    break
                block.append(follow)
            return block
    # make: the lines before "make: *** ..." errors.
    for i, line in enumerate(lines):
        if re.match(r"g?make(\[\d+\])?: \*\*\*", line):
            return lines[max(0, i - 30):i]
    return []


def _frozen_sources(build_dir: Path) -> dict[str, str]:
    try:
        files = json.loads((build_dir / "port" / "frozen_inputs.json").read_text())["files"]
        return {f["target"]: f["source"] for f in files}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _freeze_error(block: list[str], build_dir: Path) -> str | None:
    """A failed freeze as one line: a frozen file's syntax error with its source file and line."""
    for i, line in enumerate(block):
        match = re.match(r"error compiling (.+):$", line)
        if match:
            target = match.group(1)
            source = _frozen_sources(build_dir).get(target, target)
            rest = [x for x in block[i + 1:] if x.strip()]
            line_no = next((m.group(1) for x in rest if (m := re.search(r"\bline (\d+)", x))), None)
            message = rest[-1].strip() if rest else "cannot compile"
            where = f"{source}:{line_no}" if line_no else source
            return f"{where}: {message} (frozen as {target})"
        match = re.match(r'freeze error executing "(.+)": (.*)', line)
        if match:
            message = match.group(2).split("Error in manifest file: ")[-1]
            return f"manifest error: {message}"
    for line in block:
        if line.startswith("error: "):  # toolchain/image_config.py
            return line[len("error: "):]
    return None


def _build_failure(lines: list[str], build_dir: Path, log_path: Path) -> BuildError:
    error = _cmake_error(lines)
    if error:
        return BuildError(error)
    block = _failed_step(lines)
    error = _freeze_error(block, build_dir)
    if error:
        return BuildError(error)
    compiler = [x for x in block if re.search(r"\b(error|warning|note)\b", x) or x.startswith(" ")]
    if any(re.search(r":\d+:\d+: error", x) for x in compiler):
        shown = compiler[:40]
        return BuildError("C compilation failed:\n" + "\n".join(shown) + f"\n(full log: {log_path})")
    tail = [x for x in block if x.strip()][-20:] or [x for x in lines if x.strip()][-20:]
    return BuildError("the build failed:\n" + "\n".join(tail) + f"\n(full log: {log_path})")


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
    modules: built-in modules to add ("+framebuf") or remove ("-re").
    c_modules: user C module directories (with micropython.cmake or micropython.mk).
    freeze: package directories and .py files to freeze as bytecode.
    manifests: MicroPython manifest.py files to freeze (require() works).
    source: the source tree (default: see find_source()).
    build_dir: where to build (default SOURCE/build/image-VARIANT); reused by
        later builds, so that they only redo what changed.
    jobs: parallel compile jobs (default: the number of CPUs).
    cmake_args: more -D options for the top-level CMake project.
    progress: called with progress lines (all build output when verbose).

    Raises BuildError, whose message says what went wrong and how to fix it.
    """
    say: Progress = progress or (lambda _line: None)
    started = time.monotonic()
    src = find_source(source)
    changes = _module_changes(modules)
    c_dirs, freeze_paths, manifest_paths = _paths(c_modules), _paths(freeze), _paths(manifests)
    out = Path(output).expanduser().resolve() if output is not None else Path.cwd() / f"micropython-{variant}.wasm"
    _check_inputs(src, variant, changes, c_dirs, freeze_paths, manifest_paths, out)
    if not out.parent.is_dir():
        raise BuildError(f"output directory {out.parent} does not exist")
    bdir = Path(build_dir).expanduser().resolve() if build_dir is not None else src / "build" / f"image-{variant}"
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
        f"-DMICROPY_WASI_MODULES={','.join(changes)}",
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
    reporter = _Reporter(say, verbose)
    description = variant + "".join(" " + c for c in changes)
    with _locked(bdir, say), open(log_path, "w") as log:
        say(f"building a {description} image in {bdir}")
        status, lines = _run(configure, log, reporter, env)
        if status != 0:
            raise _build_failure(lines, bdir, log_path)
        status, lines = _run([cmake, "--build", str(bdir)], log, reporter, env)
        if status != 0:
            raise _build_failure(lines, bdir, log_path)
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


# -- describing an image ---------------------------------------------------------------


def describe_image(info: ImageInfo) -> str:
    """A few lines saying what an image contains, from its manifest."""
    m = info.manifest
    if not m:
        return f"image: {info.path}\n(no manifest next to it: {info.path.with_suffix('.json')} is missing)"
    changes = " ".join(info.module_changes)
    lines = [
        f"image: {info.path} ({m.get('image_size', info.path.stat().st_size) / 1024:.1f} KiB)",
        f"MicroPython {info.micropython_version}, variant {info.variant}" + (f" ({changes})" if changes else ""),
        f"built-in modules ({len(info.modules)}): {' '.join(info.modules)}",
        f"frozen modules ({len(info.frozen_modules)}): {' '.join(info.frozen_modules) or '-'}",
    ]
    if info.user_c_modules:
        lines.append(f"user C modules: {' '.join(info.user_c_modules)}")
    if info.user_frozen_modules:
        lines.append(f"user frozen modules: {' '.join(info.user_frozen_modules)}")
    return "\n".join(lines)


# -- the command ---------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="micropython-wasi build",
        description="Build a custom interpreter image from a micropython-wasi source tree.",
        epilog="Example: micropython-wasi build --variant minimal --module +json -o small.wasm  "
               "(see docs/build.md)",
    )
    parser.add_argument("--variant", default=DEFAULT_VARIANT, help="minimal, standard (default) or full")
    parser.add_argument("--module", dest="modules", action="append", default=[], metavar="+NAME|-NAME",
                        help="add (+NAME) or remove (-NAME) a built-in module; repeatable")
    parser.add_argument("--c-module", dest="c_modules", action="append", default=[], metavar="DIR",
                        help="user C module directory (micropython.cmake or micropython.mk); repeatable")
    parser.add_argument("--freeze", action="append", default=[], metavar="PATH",
                        help="package directory or .py file to freeze as bytecode; repeatable")
    parser.add_argument("--manifest", dest="manifests", action="append", default=[], metavar="FILE",
                        help="MicroPython manifest.py to freeze (require() works); repeatable")
    parser.add_argument("-o", "--output", metavar="OUT.wasm",
                        help="image to write (default: micropython-VARIANT.wasm); OUT.json is written next to it")
    parser.add_argument("--source", metavar="DIR", help="micropython-wasi source tree (default: found automatically)")
    parser.add_argument("--build-dir", metavar="DIR", help="build directory, kept for fast rebuilds "
                        "(default: SOURCE/build/image-VARIANT)")
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
            args.output, variant=args.variant, modules=args.modules, c_modules=args.c_modules,
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


def info_main(image: str | None) -> int:
    """`micropython-wasi --info [--image X]`: describe an image."""
    from .errors import SandboxError

    try:
        print(describe_image(image_info(image)))
    except SandboxError as exc:
        print(f"micropython-wasi: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

