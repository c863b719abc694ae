/*
 * The WASI port's embedding interface.
 *
 * The image is a WASI "reactor": it has no main(). A host instantiates it,
 * calls mpw_init() once, then any number of mpw_exec() calls against the same
 * interpreter state, and mpw_deinit() at the end. Console output, console
 * input, host function calls and exception reports go through the imports
 * declared in mpw_abi.h.
 */

#include <malloc.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "py/builtin.h"
#include "py/compile.h"
#include "py/cstack.h"
#include "py/gc.h"
#include "py/mperrno.h"
#include "py/mphal.h"
#include "py/persistentcode.h"
#include "py/runtime.h"
#include "py/stackctrl.h"
#include "extmod/vfs.h"
#include "extmod/vfs_posix.h"
#include "shared/runtime/pyexec.h"
#include "heap.h"
#include "hostif.h"
#include "interp.h"
#include "mpw_abi.h"
#include "modhost.h"

// wasi-libc: forget the preopened directories found so far (not in its headers).
void __wasilibc_reset_preopens(void);

static char *input_buf;
static size_t input_buf_size;

/******************************************************************************/
// Helpers.

// A printer into a fixed buffer: reporting an exception must not allocate,
// since the exception may be MemoryError.
typedef struct _fixed_buf_t {
    char *buf;
    size_t len;
    size_t size;
} fixed_buf_t;

static void fixed_buf_strn(void *env, const char *str, size_t len) {
    fixed_buf_t *fb = env;
    size_t room = fb->size - fb->len;
    if (len > room) {
        len = room;
    }
    memcpy(fb->buf + fb->len, str, len);
    fb->len += len;
}

static void report_exception(mp_obj_t exc) {
    static char report[4096];
    fixed_buf_t fb = {report, 0, sizeof(report) - 2};
    mp_print_t print = {&fb, fixed_buf_strn};
    const mp_obj_type_t *type = mp_obj_get_type(exc);
    mp_printf(&print, "%q", (qstr)type->name);
    fb.buf[fb.len++] = '\0';
    size_t msg_start = fb.len;
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        mp_obj_print_helper(&print, exc, PRINT_STR);
        nlr_pop();
    } else {
        fb.len = msg_start;
    }
    fb.size += 1;
    fb.buf[fb.len++] = '\0';
    size_t tb_start = fb.len;
    fb.size = sizeof(report);
    if (nlr_push(&nlr) == 0) {
        mp_obj_print_exception(&print, exc);
        nlr_pop();
    } else {
        fb.len = tb_start;
    }
    // The traceback also goes to stderr, as with the `micropython` binary
    // (printing it runs the exception's __repr__ again, which may raise).
    if (nlr_push(&nlr) == 0) {
        mp_obj_print_exception(&mp_stderr_print, exc);
        nlr_pop();
    }
    mpw_console_flush();
    mpw_host_exception(report, fb.len);
}

static int handle_uncaught_exception(mp_obj_t exc) {
    int status;
    if (mpw_exit_status(exc, &status)) {
        return MPW_EXIT | status;
    }
    report_exception(exc);
    return 1;
}

/******************************************************************************/
// Exports.

// Start the interpreter with a GC heap of heap_size bytes, allowed to grow in
// further areas while linear memory in use stays within heap_max bytes (see
// gc_get_max_new_split). Returns 0, or -1 if the memory for the initial heap
// could not be had.
MPW_EXPORT(mpw_init) int mpw_init(size_t heap_size, size_t heap_max_bytes) {
    MPW_ENTER();
    if (!mpw_heap_init(heap_size, heap_max_bytes)) {
        return -1;
    }
    mpw_interp_init();

    // The host may snapshot the memory of an instance at this point and start
    // later instances from it, each with its own preopened directories:
    // forget the preopens seen so far, so that libc looks them up again on
    // first use in whichever instance that happens.
    __wasilibc_reset_preopens();
    return 0;
}

// The host is about to write this instance's memory into a new image whose
// instances start from it (a prepared image), each with its own preopened
// directories: forget the preopens seen so far, as mpw_init does.
MPW_EXPORT(mpw_forget_preopens) void mpw_forget_preopens(void) {
    __wasilibc_reset_preopens();
}

// Change heap_max (see mpw_init).
MPW_EXPORT(mpw_set_heap_max) void mpw_set_heap_max(size_t heap_max_bytes) {
    mpw_heap_set_max(heap_max_bytes);
}

// A buffer of at least `size` bytes for the host to write an mpw_exec or
// mpw_set_argv argument into. Returns NULL when out of memory.
MPW_EXPORT(mpw_buffer) char *mpw_buffer(size_t size) {
    if (size + 1 > input_buf_size) {
        char *buf = realloc(input_buf, size + 1);
        if (buf == NULL) {
            return NULL;
        }
        input_buf = buf;
        input_buf_size = size + 1;
    }
    return input_buf;
}

// Set sys.argv from `len` bytes of NUL-separated arguments in the buffer.
MPW_EXPORT(mpw_set_argv) void mpw_set_argv(size_t len) {
    MPW_ENTER();
    mp_obj_list_t *argv = MP_OBJ_TO_PTR(mp_sys_argv);
    argv->len = 0;
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        for (size_t i = 0; i < len;) {
            size_t n = strnlen(input_buf + i, len - i);
            mp_obj_list_append(mp_sys_argv, mp_obj_new_str(input_buf + i, n));
            i += n + 1;
        }
        nlr_pop();
    }
}

// Run what the buffer holds (`len` bytes, see MPW_EXEC_*). After timeout_ns
// nanoseconds (0: never) KeyboardInterrupt is raised in the guest.
MPW_EXPORT(mpw_exec) int mpw_exec(size_t len, int kind, uint64_t timeout_ns) {
    MPW_ENTER();
    input_buf[len] = '\0';
    MP_STATE_MAIN_THREAD(mp_pending_exception) = MP_OBJ_NULL;
    mpw_heap_clear_limit_reached();
    mp_hal_set_timeout(timeout_ns);
    mpw_console_set_interactive(kind == MPW_EXEC_REPL);
    int ret = 0;
    if (kind == MPW_EXEC_REPL) {
        ret = pyexec_friendly_repl();
        ret = (ret & PYEXEC_FORCED_EXIT) ? MPW_EXIT | (ret & 0xff) : 0;
    } else {
        nlr_buf_t nlr;
        if (nlr_push(&nlr) == 0) {
            if (kind == MPW_EXEC_FILE) {
                mpw_exec_file(input_buf);
            } else if (kind == MPW_EXEC_MODULE) {
                mpw_exec_module(input_buf);
            } else {
                mpw_exec_source(input_buf, len, MP_PARSE_FILE_INPUT);
            }
            mp_handle_pending(MP_HANDLE_PENDING_CALLBACKS_AND_EXCEPTIONS);
            nlr_pop();
        } else {
            mp_handle_pending(MP_HANDLE_PENDING_CALLBACKS_AND_CLEAR_EXCEPTIONS);
            ret = handle_uncaught_exception(MP_OBJ_FROM_PTR(nlr.ret_val));
        }
    }
    if (mp_hal_timeout_fired()) {
        ret |= MPW_LIMIT_TIMEOUT;
    }
    if (mpw_heap_limit_reached()) {
        ret |= MPW_LIMIT_MEMORY;
    }
    mp_hal_set_timeout(0);
    mpw_console_flush();
    return ret;
}

// Set an interpreter option (MPW_OPTION_*). Returns 0, or -1 for an option
// this image does not have.
MPW_EXPORT(mpw_set_option) int mpw_set_option(int option, int value) {
    switch (option) {
        #if MICROPY_DEBUG_PRINTERS
        case MPW_OPTION_VERBOSE:
            mp_verbose_flag = value;
            return 0;
        #endif
        case MPW_OPTION_OPTIMISE:
            MP_STATE_VM(mp_optimise_value) = value;
            return 0;
        case MPW_OPTION_COMPILE_ONLY:
            mpw_compile_only = value != 0;
            return 0;
        case MPW_OPTION_CONSOLE_MODE:
            mpw_console_set_mode_events(value != 0);
            return 0;
        default:
            return -1;
    }
}

// Register a host function under the name in the buffer (see modhost.c).
MPW_EXPORT(mpw_register_host_function) int mpw_register_host_function(size_t len) {
    MPW_ENTER();
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        mp_host_register(input_buf, len);
        nlr_pop();
        return 0;
    }
    return -1;
}

// Run the atexit handler and finalisers, then stop the interpreter.
MPW_EXPORT(mpw_deinit) void mpw_deinit(void) {
    MPW_ENTER();
    mpw_interp_deinit();
}
