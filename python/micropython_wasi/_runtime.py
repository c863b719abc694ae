"""One compiled interpreter image per process: engine, module and linker.

Compiling the image takes about a second; it is done once per process and
configuration, and the compiled code is cached on disk so that a new process
only loads it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import wasmtime

from .errors import ImageError

# Kinds of mpw_exec(); see ports/wasi/main.c.
EXEC_SOURCE = 0
EXEC_FILE = 1
EXEC_MODULE = 2
EXEC_REPL = 3
EXIT_FLAG = 0x100

# wasm stack for the interpreter's C code. wasmtime-py aborts the process for
# values above 2 MiB; the port's own recursion limit keeps well inside this.
MAX_WASM_STACK = 1024 * 1024

IMPORT_MODULE = "micropython_wasi"
_WASMTIME_VERSION = importlib.metadata.version("wasmtime")


def cache_dir() -> Path:
    base = os.environ.get("MICROPY_WASI_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "micropython-wasi" if xdg else Path.home() / ".cache" / "micropython-wasi"


@dataclass
class Runtime:
    """A compiled image ready to instantiate into new Stores."""

    engine: wasmtime.Engine
    module: wasmtime.Module
    linker: wasmtime.Linker
    instance_pre: Any
    fuel: bool


HostImport = Callable[..., Any]
_lock = threading.Lock()
_runtimes: dict[tuple[str, bool], Runtime] = {}


def _config(fuel: bool) -> wasmtime.Config:
    config = wasmtime.Config()
    config.wasm_exceptions = True
    config.epoch_interruption = True
    config.consume_fuel = fuel
    config.max_wasm_stack = MAX_WASM_STACK
    return config


def _load_module(engine: wasmtime.Engine, path: Path, fuel: bool) -> wasmtime.Module:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImageError(f"cannot read image {path}: {exc}") from exc
    key = hashlib.sha256(
        b"\0".join([data, _WASMTIME_VERSION.encode(), b"fuel" if fuel else b"nofuel",
                    str(MAX_WASM_STACK).encode()])
    ).hexdigest()[:32]
    cached = cache_dir() / f"{key}.cwasm"
    if cached.is_file():
        try:
            return wasmtime.Module.deserialize_file(engine, str(cached))
        except Exception:
            pass  # stale or damaged: compile again below
    try:
        module = wasmtime.Module(engine, data)
    except Exception as exc:
        raise ImageError(f"{path} is not a loadable WebAssembly image: {exc}") from exc
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cached.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(module.serialize())
        os.replace(tmp, cached)
    except OSError:
        pass  # the cache is an optimisation only
    return module


def get_runtime(path: Path, fuel: bool, host_imports: dict[str, tuple[wasmtime.FuncType, HostImport]]) -> Runtime:
    """The process-wide runtime for this image and fuel setting."""
    key = (str(path.resolve()), fuel)
    with _lock:
        runtime = _runtimes.get(key)
        if runtime is None:
            engine = wasmtime.Engine(_config(fuel))
            module = _load_module(engine, path, fuel)
            linker = wasmtime.Linker(engine)
            linker.define_wasi()
            for name, (functype, func) in host_imports.items():
                linker.define_func(IMPORT_MODULE, name, functype, func, access_caller=True)
            try:
                instance_pre = linker.instantiate_pre(module)
            except Exception as exc:
                raise ImageError(f"{path} is not a micropython-wasi image: {exc}") from exc
            runtime = Runtime(engine, module, linker, instance_pre, fuel)
            _runtimes[key] = runtime
        return runtime
