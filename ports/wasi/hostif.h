// The interface between this port and its host.
//
// Imports (module "micropython_wasi") are functions the host provides; they
// are the only way out of the sandbox besides the WASI preopens the host
// chooses to grant. Exports are in main.c.
#ifndef MICROPY_INCLUDED_WASI_HOSTIF_H
#define MICROPY_INCLUDED_WASI_HOSTIF_H

#include <stddef.h>
#include <stdint.h>

#if MICROPY_WASI_COMMAND
// A command image has no host: main_command.c implements the console imports
// over WASI's file descriptors, and nothing is exported but _start.
#define MPW_HOST_IMPORT(name)
#define MPW_EXPORT(name)
#else
#define MPW_HOST_IMPORT(name) __attribute__((import_module("micropython_wasi"), import_name(#name)))
#define MPW_EXPORT(name) __attribute__((export_name(#name)))
#endif

// Console streams passed to mpw_host_write.
#define MPW_STREAM_STDOUT (1)
#define MPW_STREAM_STDERR (2)
// Not output: the REPL's terminal mode, when the host asked for it
// (mpw_set_option MPW_OPTION_CONSOLE_MODE). One byte: 'r' when the REPL
// starts reading input (the unix port then makes its terminal raw and drops
// unread input), 'o' when it stops to run code (the original terminal mode,
// again dropping unread input).
#define MPW_STREAM_CONSOLE_MODE (3)

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

// Console buffering (mphalport.c).
void mpw_console_write(int stream, const char *str, size_t len);
void mpw_console_flush(void);

#endif // MICROPY_INCLUDED_WASI_HOSTIF_H
