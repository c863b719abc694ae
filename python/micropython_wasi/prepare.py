"""Prepared images: an image whose every interpreter starts with packages imported and setup code run.

prepare_image() starts an interpreter from a base image (in its usual
pre-initialised state), mounts the added .py files at their guest paths,
imports every module among them (the interpreter compiles them to bytecode
itself), runs the setup code, and writes the interpreter's memory out as a
new image's data segments (see _runtime.py for how the runner does the same
after `mpw_init`), with a JSON manifest next to it.

The added modules stay importable without a mount because they are in
sys.modules: `import pkg` finds them there before it looks at any directory.
The sources are not kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import wasmtime

from . import _abi, _engine, _wasm_binary
from ._guest import INITIAL_HEAP, Guest, GuestTrap
from ._host import Host, OutputOverflow
from ._image import image_info, resolve_image
from ._imports import serve
from ._options import (
    DEFAULT_MAX_OUTPUT,
    DEFAULT_MAX_PAYLOAD,
    DEFAULT_MEMORY_LIMIT,
    MAX_MEMORY_LIMIT,
    MEMORY_RESERVE,
    MIN_MEMORY_LIMIT,
    int_option,
    seconds_option,
)
from ._runtime import get_runtime
from .errors import ImageError, OptionError, SandboxError

__all__ = ["PrepareError", "prepare_image"]

IMPORT_ROOT = "/lib"
"""Added files go below this guest directory (on the guest's sys.path)."""

DEFAULT_PREPARE_TIMEOUT = 60.0
_RESET_EXPORT = b"mpw_forget_preopens"
_SKIPPED_DIRS = {"__pycache__"}


class PrepareError(SandboxError):
    """Preparing an image failed: an added module or the setup code raised, or hit a limit."""


def prepare_image(
    output: str | os.PathLike[str],
    *,
    setup: str | None = None,
    files: Mapping[str, str | os.PathLike[str]] | None = None,
    base: str | os.PathLike[str] | None = None,
    memory_limit: int = DEFAULT_MEMORY_LIMIT,
    timeout: float | None = DEFAULT_PREPARE_TIMEOUT,
) -> Path:
    """Write an image (output, a .wasm, plus its .json manifest) that starts with `files` imported and `setup` run.

    files: guest path below /lib -> host .py file or directory of them
    (e.g. {"/lib/mypkg": "src/mypkg"}); every module among them is imported.
    setup: Python source run after those imports, in __main__: its globals
    are there in every interpreter of the new image.
    base: the image to start from (default: the bundled one).
    memory_limit, timeout: limits of the preparation's interpreter (the
    timeout is for each module's import and for the setup code).
    Returns the output path. Raises OptionError for bad arguments, ImageError
    for a base that is not a usable image, PrepareError when the code raised
    or exceeded a limit.
    """
    out = _output_path(output)
    if setup is not None and not isinstance(setup, str):
        raise OptionError(f"setup must be Python source (a str), got {type(setup).__name__}")
    memory_limit = int_option("memory_limit", memory_limit, MIN_MEMORY_LIMIT, MAX_MEMORY_LIMIT)
    timeout = seconds_option("timeout", timeout)
    added = _added_files(files)
    names = _module_names(added)
    base_path = resolve_image(base)
    if out.resolve() == base_path.resolve():
        raise OptionError(f"output {out} is the base image itself: write the prepared image to another path")
    try:
        data = base_path.read_bytes()
        sections = _wasm_binary.sections(data)
    except OSError as exc:
        raise ImageError(f"cannot read base image {base_path}: {exc}") from exc
    except (ValueError, IndexError):
        raise ImageError(f"base {base_path} is not a WebAssembly image") from None
    runtime = get_runtime(base_path, fuel=False, epoch=timeout is not None)
    needed = runtime.initial_memory + INITIAL_HEAP + MEMORY_RESERVE
    if needed > memory_limit:
        raise OptionError(f"memory_limit={memory_limit} is too small for base {base_path}, which needs at least "
                          f"{needed} bytes")
    exports = {e.name for e in runtime.module.exports}
    if _RESET_EXPORT.decode() not in exports or not _wasm_binary.can_preinitialise(sections):
        raise ImageError(f"base {base_path} cannot be prepared: it was built by an older micropython-wasi "
                         f"(no {_RESET_EXPORT.decode()}() export) or is not a reactor image; rebuild it")

    with tempfile.TemporaryDirectory(prefix="mpw-prepare-") as staging:
        lib = Path(staging) / "lib"
        lib.mkdir()
        for guest_path, host_file, _ in added:
            target = lib / guest_path[len(IMPORT_ROOT) + 1:]
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(host_file, target)
        modules = [(name, guest) for name, (guest, _, _) in zip(names, added)]
        memory = _run_preparation(runtime, lib, modules, setup, memory_limit, timeout)

    image = _wasm_binary.with_memory(sections, memory)
    record = {
        "base_image": str(base_path),
        "base_sha256": hashlib.sha256(data).hexdigest(),
        "files": [{"path": guest, "sha256": digest} for guest, _, digest in added],
        "setup_sha256": hashlib.sha256(setup.encode("utf-8", "surrogatepass")).hexdigest() if setup is not None
        else None,
    }
    image = _wasm_binary.with_custom_section(image, _wasm_binary.PREPARED_SECTION,
                                             json.dumps(record, sort_keys=True).encode())
    manifest = dict(image_info(base_path).manifest)
    manifest.update(image_size=len(image), prepared=dict(record, modules=names))
    _write(out, image)
    _write(out.with_suffix(".json"), (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    return out


# -- checking the arguments ----------------------------------------------------------


def _output_path(output: Any) -> Path:
    if not isinstance(output, (str, os.PathLike)):
        raise OptionError(f"output must be a path to a .wasm file, got {type(output).__name__}")
    out = Path(output)
    if out.suffix != ".wasm":
        raise OptionError(f"output {out} must end in .wasm (its manifest is written next to it as .json)")
    parent = out.parent
    if not parent.is_dir():
        raise OptionError(f"output {out}: directory {parent} does not exist")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise OptionError(f"output {out} is not writable: choose a path in a directory you can write to")
    return out


def _added_files(files: Any) -> list[tuple[str, Path, str]]:
    """(guest path, host file, sha256) of every added file, sorted by guest path."""
    if files is None:
        return []
    if not isinstance(files, Mapping):
        raise OptionError(f"files must be a mapping of guest path to host path, got {type(files).__name__}")
    found: dict[str, tuple[Path, str]] = {}
    for guest, host in files.items():
        if not isinstance(guest, str) or not guest.startswith(IMPORT_ROOT + "/") or ".." in guest.split("/") \
                or guest.endswith("/") or "//" in guest:
            raise OptionError(f"files: guest path {guest!r} must be a normalised path below {IMPORT_ROOT}/ "
                              f"(the guest's import directory), e.g. '{IMPORT_ROOT}/mypkg'")
        if not isinstance(host, (str, os.PathLike)):
            raise OptionError(f"files[{guest!r}] must be a host path, got {type(host).__name__}")
        source = Path(host)
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                relative = path.relative_to(source)
                if path.is_dir() or _SKIPPED_DIRS & set(relative.parts[:-1]):
                    continue
                found[f"{guest}/{relative.as_posix()}"] = (path, _check_source(path))
        elif source.is_file():
            if not guest.endswith(".py"):
                raise OptionError(f"files: {guest!r} names a module file: its guest path must end in .py")
            found[guest] = (source, _check_source(source))
        else:
            raise OptionError(f"files[{guest!r}]: {source} does not exist")
    return [(guest, path, digest) for guest, (path, digest) in sorted(found.items())]


def _check_source(path: Path) -> str:
    if path.suffix != ".py":
        raise OptionError(f"files: {path} is not a Python source (.py): only modules can be added; "
                          f"remove it, or add the package's .py files one by one")
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise OptionError(f"files: cannot read {path}: {exc}") from exc
    return hashlib.sha256(text).hexdigest()


def _module_names(added: list[tuple[str, Path, str]]) -> list[str]:
    names = []
    for guest, host, _ in added:
        parts = guest[len(IMPORT_ROOT) + 1:-len(".py")].split("/")
        if parts[-1] == "__init__":
            parts.pop()
        if not parts or not all(p.isidentifier() for p in parts):
            raise OptionError(f"files: {host} (at {guest}) is not importable: "
                              f"module and package names must be identifiers")
        names.append(".".join(parts))
    return names


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OptionError(f"cannot write {path}: {exc}") from exc


# -- the preparation's interpreter ---------------------------------------------------


def _run_preparation(runtime: Any, lib: Path, modules: list[tuple[str, str]], setup: str | None,
                     memory_limit: int, timeout: float | None) -> bytes:
    """The memory of an interpreter that imported `modules` (name, guest path) from `lib` (at /lib), then ran `setup`."""
    wasi = wasmtime.WasiConfig()
    wasi.preopen_dir(str(lib), IMPORT_ROOT)
    host = Host({}, timeout=timeout, max_output=DEFAULT_MAX_OUTPUT, max_payload=DEFAULT_MAX_PAYLOAD)
    try:
        guest = Guest(runtime, memory_limit, wasi)
    except GuestTrap as trap:
        raise PrepareError(f"the base image's interpreter failed to start: {trap}") from None
    try:
        heap_max = memory_limit - MEMORY_RESERVE
        if runtime.preinitialised:
            guest.set_heap_max(heap_max)
        elif guest.init(INITIAL_HEAP, heap_max) != 0:
            raise PrepareError(f"memory_limit={memory_limit} is too small to start the interpreter")
        guest.started()
        for name, path in modules:
            # (a built-in or frozen module of the same name would be imported instead, silently)
            check = (f"import sys, {name}\n"
                     f"if getattr(sys.modules.get({name!r}), '__file__', None) != {path!r}:\n"
                     f"    raise ImportError('the image has a module {name} already: {path} cannot replace it')\n")
            _exec(guest, host, check, f"importing {name}", timeout)
        if setup is not None:
            _exec(guest, host, setup, "the setup code", timeout)
        guest.forget_preopens()  # (this one's mount is not the new image's instances')
        return guest.read_memory(0, guest.memory_size())
    except GuestTrap as trap:
        raise PrepareError(f"the interpreter stopped while preparing the image: {trap}") from None
    finally:
        guest.close()


def _exec(guest: Guest, host: Host, source: str, what: str, timeout: float | None) -> None:
    data = source.encode("utf-8", "surrogatepass")
    host.begin(guest, b"")
    if not guest.put(data):
        raise PrepareError(f"{what}: no guest memory left for the source text")
    if timeout is not None:
        guest.set_deadline(_engine.deadline_ticks(timeout + host.grace))
        _engine.ticker.begin()
        host.start_clock(time.perf_counter())
    previous = serve(host)
    try:
        status = guest.exec(len(data), _abi.EXEC_SOURCE, int(timeout * 1e9) if timeout is not None else 0)
    except GuestTrap as trap:
        if isinstance(host.take_error(), OutputOverflow):
            raise PrepareError(f"{what} wrote more than {DEFAULT_MAX_OUTPUT} bytes of output") from None
        if trap.code == wasmtime.TrapCode.INTERRUPT:
            raise PrepareError(f"{what} exceeded the timeout of {timeout:g} s and was killed") from None
        raise PrepareError(f"{what} crashed the interpreter: {trap}") from None
    finally:
        serve(previous)
        if timeout is not None:
            host.stop_clock()
            _engine.ticker.end()
            if guest.ctx is not None:
                guest.set_deadline(_engine.NO_DEADLINE)
    if status & _abi.LIMIT_TIMEOUT:
        raise PrepareError(f"{what} exceeded the timeout of {timeout:g} s")
    if status & _abi.LIMIT_MEMORY:
        raise PrepareError(f"{what} ran out of memory (memory_limit exceeded)")
    status &= _abi.STATUS_MASK
    if status:
        stdout, stderr = host.output()
        exc = host.exception
        detail = f"{exc.type}: {exc.message}" if exc is not None else f"SystemExit({status & 0xFF})"
        trace = exc.traceback if exc is not None else stderr
        raise PrepareError(f"{what} raised {detail}" + (f"\n{trace.rstrip()}" if trace else ""))
