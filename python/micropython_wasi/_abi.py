"""The numbers and names the image and its host agree on.

They are defined in ports/wasi/mpw_abi.h; tests/test_abi.py checks that every
value here matches it. This module imports nothing, so the command line can
use it before wasmtime is loaded.
"""

from __future__ import annotations

# Kinds of mpw_exec(): what the buffer from mpw_buffer() holds.
EXEC_SOURCE = 0  # Python source text, as a module
EXEC_FILE = 1  # a file path, like `micropython FILE`
EXEC_MODULE = 2  # a module name, like `micropython -m MODULE`
EXEC_REPL = 3  # the interactive REPL, reading console input until EOF

# mpw_exec()'s result: 0 success, 1 an uncaught exception, or EXIT_FLAG | code
# after SystemExit; ORed with the LIMIT_* flags of the limits that acted.
EXIT_FLAG = 0x100
LIMIT_TIMEOUT = 0x200  # the soft timeout raised KeyboardInterrupt
LIMIT_MEMORY = 0x400  # the heap could not grow within heap_max
STATUS_MASK = 0x1FF  # the result without the LIMIT_* flags

# Options of mpw_set_option(), as the `micropython` command's -v, -O and
# -X compile-only set them.
OPTION_VERBOSE = 0
OPTION_OPTIMISE = 1
OPTION_COMPILE_ONLY = 2
OPTION_CONSOLE_MODE = 3  # report the REPL's terminal mode on STREAM_CONSOLE_MODE

# Streams of the write import. STREAM_CONSOLE_MODE is not output: the REPL's
# terminal mode, b"r" raw while it reads a line, b"o" the original mode while
# code runs.
STREAM_STDOUT = 1
STREAM_STDERR = 2
STREAM_CONSOLE_MODE = 3

# The console buffer at mpw_console_state(): int32 stream, uint32 length,
# then CONSOLE_BUFFER_SIZE bytes (read by the host after a trap).
CONSOLE_HEADER_SIZE = 8
CONSOLE_BUFFER_SIZE = 4096

# The wasm stack the host gives the interpreter's C code; the port's guards
# (guard.c) assume it when they estimate how much of it deep recursion uses.
# (wasmtime-py aborts the process for values above 2 MiB.)
ENGINE_STACK = 1024 * 1024

# The import module, and its functions with their (params, results), all i32.
IMPORT_MODULE = "micropython_wasi"
IMPORTS: dict[str, tuple[int, int]] = {
    "write": (3, 0),  # (stream, buf, len)
    "read": (2, 1),  # (buf, len) -> count
    "call": (4, 1),  # (name, name_len, payload, len) -> reply length
    "reply": (2, 0),  # (buf, len)
    "exception": (2, 0),  # (buf, len): "TypeName\0message\0traceback"
}

# Exports a host cannot do without.
REQUIRED_EXPORTS = frozenset({"memory", "mpw_init", "mpw_buffer", "mpw_exec"})
