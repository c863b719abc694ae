"""A minimal host for the image's interface (ports/wasi/mpw_abi.h, exports in
ports/wasi/main.c), independent of the runner library (only its numbers come
from _abi.py, which tests/test_abi.py checks): the image tests check the image itself."""

from __future__ import annotations

from pathlib import Path

import wasmtime

from micropython_wasi import _abi


class RawInterpreter:
    def __init__(self, image: Path, heap_size: int, heap_max: int) -> None:
        config = wasmtime.Config()
        config.wasm_exceptions = True
        config.max_wasm_stack = _abi.ENGINE_STACK
        engine = wasmtime.Engine(config)
        module = wasmtime.Module.from_file(engine, str(image))
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        i32 = wasmtime.ValType.i32()
        self.stdout: list[bytes] = []
        self.stderr: list[bytes] = []
        self.exceptions: list[list[str]] = []

        def write(caller: wasmtime.Caller, stream: int, ptr: int, n: int) -> None:
            data = bytes(caller["memory"].read(caller, ptr, ptr + n))
            (self.stderr if stream == _abi.STREAM_STDERR else self.stdout).append(data)

        def exception(caller: wasmtime.Caller, ptr: int, n: int) -> None:
            self.exceptions.append(bytes(caller["memory"].read(caller, ptr, ptr + n)).decode().split("\0"))

        def unused(*args: object) -> int:
            return -1

        imports = {"write": write, "exception": exception, "read": lambda p, n: 0, "call": unused,
                   "reply": lambda p, n: None}
        for name, (params, results) in _abi.IMPORTS.items():
            linker.define_func(_abi.IMPORT_MODULE, name, wasmtime.FuncType([i32] * params, [i32] * results),
                               imports[name], access_caller=name in ("write", "exception"))
        self.store = wasmtime.Store(engine)
        self.store.set_wasi(wasmtime.WasiConfig())
        self.exports = linker.instantiate(self.store, module).exports(self.store)
        self.exports["_initialize"](self.store)
        assert self.exports["mpw_init"](self.store, heap_size, heap_max) == 0

    def exec(self, source: str) -> tuple[int, str, str]:
        """Run source; return (status, stdout, stderr). Traps propagate as wasmtime.Trap."""
        self.stdout.clear()
        self.stderr.clear()
        data = source.encode()
        ptr = self.exports["mpw_buffer"](self.store, len(data))
        self.exports["memory"].write(self.store, data, ptr)
        status = self.exports["mpw_exec"](self.store, len(data), _abi.EXEC_SOURCE, 0)
        return status, b"".join(self.stdout).decode(), b"".join(self.stderr).decode()
