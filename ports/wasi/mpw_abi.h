// The interface between the image and its host: every number, import and
// export the host relies on.
//
// The host's copy of the numbers is python/micropython_wasi/_abi.py;
// tests/test_abi.py parses this file and checks that the two agree, so a
// change here needs the same change there. tests/_raw.py is the smallest
// host that uses this interface.
#ifndef MICROPY_INCLUDED_WASI_MPW_ABI_H
#define MICROPY_INCLUDED_WASI_MPW_ABI_H

#include <stddef.h>
#include <stdint.h>

// What mpw_exec() runs; its source (text, path or module name) is in the
// buffer returned by mpw_buffer().
enum {
    MPW_EXEC_SOURCE = 0,  // Python source text, as a module
    MPW_EXEC_FILE = 1,    // a file path, like `micropython FILE`
    MPW_EXEC_MODULE = 2,  // a module name, like `micropython -m MODULE`
    MPW_EXEC_REPL = 3,    // the interactive REPL, reading console input until EOF
};

// mpw_exec() result: 0 success, 1 uncaught exception, or MPW_EXIT | code
// when the program raised SystemExit; ORed with the MPW_LIMIT_* flags of the
// limits that acted during the run (the host reports a limit only then, not
// from an exception's name, which the guest controls).
#define MPW_EXIT (0x100)
#define MPW_LIMIT_TIMEOUT (0x200)  // the soft timeout raised KeyboardInterrupt
#define MPW_LIMIT_MEMORY (0x400)   // the heap could not grow within heap_max when last asked

// Interpreter options set with mpw_set_option(), as the `micropython`
// command's -v, -O and -X compile-only set them.
enum {
    MPW_OPTION_VERBOSE = 0,       // -v: with 2 or more, print the bytecode of what is compiled
    MPW_OPTION_OPTIMISE = 1,      // -O: the optimisation level (assert, __debug__, line numbers)
    MPW_OPTION_COMPILE_ONLY = 2,  // -X compile-only: compile programs, do not run them
    MPW_OPTION_CONSOLE_MODE = 3,  // report the REPL's terminal mode (MPW_STREAM_CONSOLE_MODE)
};

// Console streams passed to mpw_host_write.
#define MPW_STREAM_STDOUT (1)
#define MPW_STREAM_STDERR (2)
// Not output: the REPL's terminal mode, when the host asked for it
// (mpw_set_option MPW_OPTION_CONSOLE_MODE). One byte: 'r' when the REPL
// starts reading input (the unix port then makes its terminal raw and drops
// unread input), 'o' when it stops to run code (the original terminal mode,
// again dropping unread input).
#define MPW_STREAM_CONSOLE_MODE (3)

// The console buffer (mphalport.c), at the address mpw_console_state()
// returns: when the host stops a program (a wasm trap) it reads what is
// still buffered from here, without running anything in the guest.
#define MPW_CONSOLE_BUF_SIZE (4096)
typedef struct _mpw_console_state_t {
    int32_t stream;
    uint32_t len;
    char buf[MPW_CONSOLE_BUF_SIZE];
} mpw_console_state_t;

// The wasm stack the host's engine gives the interpreter; guard.c's
// estimates of deep C recursion assume it.
#ifndef MICROPY_WASI_ENGINE_STACK
#define MICROPY_WASI_ENGINE_STACK (1024 * 1024)
#endif

// Imports: functions the host provides, in this import module. They are the
// only way out of the sandbox besides the WASI preopens the host grants.
#define MPW_IMPORT_MODULE "micropython_wasi"
#ifndef MPW_HOST_IMPORT  // (an image without a host may define it before including this)
#define MPW_HOST_IMPORT(name) __attribute__((import_module(MPW_IMPORT_MODULE), import_name(#name)))
#endif

// Deliver console output. The host may trap here (output limit).
MPW_HOST_IMPORT(write) void mpw_host_write(int32_t stream, const void *buf, size_t len);

// Read up to len bytes of console input; returns the count, 0 at end of input.
MPW_HOST_IMPORT(read) int32_t mpw_host_read(void *buf, size_t len);

// Call the host function `name` with an encoded (args, kwargs) payload
// (see modhost.c). Returns the length of the encoded reply, which the guest
// then fetches with mpw_host_reply, or -1 if the host refused the call.
MPW_HOST_IMPORT(call) int32_t mpw_host_call(const char *name, size_t name_len, const void *payload, size_t len);
MPW_HOST_IMPORT(reply) void mpw_host_reply(void *buf, size_t len);

// Report an uncaught exception: "TypeName\0message\0traceback".
MPW_HOST_IMPORT(exception) void mpw_host_exception(const void *buf, size_t len);

#endif // MICROPY_INCLUDED_WASI_MPW_ABI_H
