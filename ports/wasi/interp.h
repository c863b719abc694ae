// Starting and stopping the interpreter and running code, shared by both
// image formats: the reactor (main.c) and the command (main_command.c).
#ifndef MICROPY_INCLUDED_WASI_INTERP_H
#define MICROPY_INCLUDED_WASI_INTERP_H

#include <stdbool.h>
#include <stddef.h>

#include "py/cstack.h"
#include "py/obj.h"
#include "py/parse.h"

// C stack (wasm shadow stack, in linear memory): the link reserves
// MICROPY_WASI_STACK_SIZE bytes.
#ifndef MICROPY_WASI_STACK_SIZE
#define MICROPY_WASI_STACK_SIZE (256 * 1024)
#endif

// Recursion that MicroPython checks (Python calls, printing or comparing
// nested containers, re's backtracking, json) raises RuntimeError once this
// much of the C stack is in use. The engine's own wasm stack runs out too: the
// host gives it 1 MiB, and a C function's wasm frame can be about 5 times its
// shadow-stack frame (re1.5's recursiveloop is), so the limit is an eighth of
// that. Recursion that MicroPython does not check (the compiler's, comparing
// and hashing nested containers, re's pattern compiler) is bounded by the
// guards in guard.c, which also watch the engine stack.
#ifndef MICROPY_WASI_CSTACK_LIMIT
#define MICROPY_WASI_CSTACK_LIMIT (128 * 1024)
#endif
#if MICROPY_WASI_CSTACK_LIMIT < MICROPY_WASI_STACK_SIZE - 8 * 1024
#define MPW_CSTACK_LIMIT (MICROPY_WASI_CSTACK_LIMIT)
#else
#define MPW_CSTACK_LIMIT (MICROPY_WASI_STACK_SIZE - 8 * 1024)
#endif

// Each entry point marks its own frame as the top of the C stack, from which
// the stack checks measure; the GC scans for roots up to the top of the whole
// stack instead, which also covers the entry point's own frame (heap.c).
#define MPW_ENTER() mp_cstack_init_with_sp_here(MPW_CSTACK_LIMIT)

// -X compile-only: compile programs, do not run them.
extern bool mpw_compile_only;

// After the heap (heap.h): the runtime, the POSIX VFS at "/" over the
// preopened directories, sys.path and an empty sys.argv.
void mpw_interp_init(void);
// The atexit handler, -v's memory statistics, finalisers, then the runtime's end.
void mpw_interp_deinit(void);

// Run code as the `micropython` command does; exceptions propagate (nlr).
// Source text, named <stdin>, as a module (MP_PARSE_FILE_INPUT) or a REPL
// line (MP_PARSE_SINGLE_INPUT, which prints the value of an expression).
void mpw_exec_source(const char *src, size_t len, mp_parse_input_kind_t kind);
// A script: `micropython FILE`.
void mpw_exec_file(const char *path);
// A module or package: `micropython -m MODULE`.
void mpw_exec_module(const char *name);

// If exc is a SystemExit, store the exit status it asks for (0-255) and
// return true. Runs no guest code and raises nothing.
bool mpw_exit_status(mp_obj_t exc, int *status);

#endif // MICROPY_INCLUDED_WASI_INTERP_H
