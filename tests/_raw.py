"""A minimal host for the image's embedding interface (ports/wasi/main.c),
independent of the runner library: the image tests check the image itself."""

from __future__ import annotations

from pathlib import Path

import wasmtime

EXEC_SOURCE = 0


class RawInterpreter:
    def __init__(self, image: Path, heap_size: int, heap_max: int) -> None:
        config = wasmtime.Config()
        config.wasm_exceptions = True
        config.max_wasm_stack = 1024 * 1024
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
            (self.stderr if stream == 2 else self.stdout).append(data)

        def exception(caller: wasmtime.Caller, ptr: int, n: int) -> None:
            self.exceptions.append(bytes(caller["memory"].read(caller, ptr, ptr + n)).decode().split("\0"))

        def unused(*args: object) -> int:
            return -1

        define = linker.define_func
        define("micropython_wasi", "write", wasmtime.FuncType([i32, i32, i32], []), write, access_caller=True)
        define("micropython_wasi", "exception", wasmtime.FuncType([i32, i32], []), exception, access_caller=True)
        define("micropython_wasi", "read", wasmtime.FuncType([i32, i32], [i32]), lambda p, n: 0)
        define("micropython_wasi", "call", wasmtime.FuncType([i32] * 4, [i32]), unused)
        define("micropython_wasi", "reply", wasmtime.FuncType([i32, i32], []), lambda p, n: None)
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
        status = self.exports["mpw_exec"](self.store, len(data), EXEC_SOURCE, 0)
        return status, b"".join(self.stdout).decode(), b"".join(self.stderr).decode()
