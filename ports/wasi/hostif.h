// The interface between this port and its host.
//
// The imports, numbers and structures the host relies on are in mpw_abi.h;
// the exports are in main.c and mphalport.c.
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
#define MPW_EXPORT(name) __attribute__((export_name(#name)))
#endif

#include "mpw_abi.h"

// Console buffering (mphalport.c).
void mpw_console_write(int stream, const char *str, size_t len);
void mpw_console_flush(void);

#endif // MICROPY_INCLUDED_WASI_HOSTIF_H
