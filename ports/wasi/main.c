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
#include "hostif.h"
#include "mpw_abi.h"
#include "modhost.h"

static bool compile_only;

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

// wasi-libc: forget the preopened directories found so far (not in its headers).
void __wasilibc_reset_preopens(void);

static char *input_buf;
static size_t input_buf_size;
static size_t heap_max;

/******************************************************************************/
// Heap.

// GC heap areas are whole wasm pages, taken from the end of linear memory,
// not from libc's malloc: zig's rounds large blocks up to a power of two, which
// would let the heap use only about half of the memory the host allows.
// Freed areas are kept in an address-ordered list (adjacent ones merged) and
// reused. Each area is preceded by a header that records its size.
#define WASM_PAGE_SIZE (65536)
#define AREA_HEADER_SIZE (16)

typedef struct _page_run_t {
    struct _page_run_t *next;
    size_t size;
} page_run_t;

static page_run_t *free_runs;
static size_t free_run_bytes;

static void *pages_alloc(size_t *size) {
    size_t want = (*size + WASM_PAGE_SIZE - 1) & ~(size_t)(WASM_PAGE_SIZE - 1);
    for (page_run_t **link = &free_runs; *link != NULL; link = &(*link)->next) {
        page_run_t *run = *link;
        if (run->size >= want) {
            if (run->size - want >= WASM_PAGE_SIZE) {
                page_run_t *rest = (page_run_t *)((char *)run + want);
                rest->next = run->next;
                rest->size = run->size - want;
                *link = rest;
            } else {
                *link = run->next;
                want = run->size;
            }
            free_run_bytes -= want;
            *size = want;
            return run;
        }
    }
    size_t old_pages = __builtin_wasm_memory_grow(0, want / WASM_PAGE_SIZE);
    if (old_pages == (size_t)-1) {
        return NULL;
    }
    *size = want;
    return (void *)(old_pages * WASM_PAGE_SIZE);
}

static void pages_free(void *p, size_t size) {
    page_run_t *run = p;
    run->size = size;
    free_run_bytes += size;
    page_run_t **link = &free_runs;
    while (*link != NULL && *link < run) {
        link = &(*link)->next;
    }
    run->next = *link;
    *link = run;
    // Merge with the following run, then with the preceding one.
    if (run->next != NULL && (char *)run + run->size == (char *)run->next) {
        run->size += run->next->size;
        run->next = run->next->next;
    }
    if (link != &free_runs) {
        page_run_t *prev = (page_run_t *)((char *)link - offsetof(page_run_t, next));
        if ((char *)prev + prev->size == (char *)run) {
            prev->size += run->size;
            prev->next = run->next;
        }
    }
}

// A heap area of at least *size bytes, its usable size stored back in *size
// (NULL if that would exceed `limit` bytes in all, or memory is exhausted).
static void *heap_area_alloc(size_t *size, size_t limit) {
    size_t total = *size + AREA_HEADER_SIZE;
    if (total > limit) {
        return NULL;
    }
    char *p = pages_alloc(&total);
    if (p == NULL) {
        return NULL;
    }
    *(size_t *)p = total;
    *size = total - AREA_HEADER_SIZE;
    return p + AREA_HEADER_SIZE;
}

static void heap_area_free(void *area) {
    char *p = (char *)area - AREA_HEADER_SIZE;
    pages_free(p, *(size_t *)p);
}

// Called by the GC when it needs a new heap area: how large may it be (not
// counting the area's header). The heap grows while linear memory in use
// (all of it but freed heap areas) stays within heap_max; the host sets that
// a little below its limit on linear memory, leaving room for libc's malloc.
//
// When an allocation did not fit the heap even after a collection and the
// heap could not grow, py/gc.c calls MP_PLAT_HEAP_LIMIT_REACHED (patch 0019):
// note that the limit stopped it; growing the heap clears the note. mpw_exec
// reports it (MPW_LIMIT_MEMORY), so that the host does not take the guest's
// word (an exception's name) for it. gc.mem_free() also asks for the size
// below, which must not count as reaching the limit.
static bool heap_limit_reached;

size_t gc_get_max_new_split(void) {
    size_t used = __builtin_wasm_memory_size(0) * WASM_PAGE_SIZE - free_run_bytes + AREA_HEADER_SIZE;
    return used < heap_max ? heap_max - used : 0;
}

// For py/gc.c (MP_PLAT_HEAP_LIMIT_REACHED) and guard.c (an object larger than
// any memory limit allows was asked for).
void mpw_memory_limit_reached(void) {
    heap_limit_reached = true;
}

// MP_PLAT_ALLOC_HEAP hook (mpconfigport.h).
void *mpw_alloc_heap(size_t size) {
    void *area = heap_area_alloc(&size, gc_get_max_new_split() + AREA_HEADER_SIZE);
    heap_limit_reached = area == NULL;
    return area;
}

// py/gc.c (v1.28) frees a split-heap area when its highest used block is
// block 0, which is also the case when a live object occupies block 0 alone.
// Such an area has already been unlinked when this is called: keep it and
// link it back in once the collection is over (see gc_collect).
static mp_state_mem_area_t *areas_to_relink;

void mpw_free_heap(void *p) {
    mp_state_mem_area_t *area = p;
    bool block0_in_use = (area->gc_alloc_table_start[0] & 3) != 0;
    if (block0_in_use) {
        area->next = areas_to_relink;
        areas_to_relink = area;
        return;
    }
    heap_area_free(p);
}

static void relink_areas(void) {
    while (areas_to_relink != NULL) {
        mp_state_mem_area_t *area = areas_to_relink;
        areas_to_relink = area->next;
        area->next = MP_STATE_MEM(area).next;
        area->gc_last_free_atb_index = 0;
        MP_STATE_MEM(area).next = area;
    }
}

// The allocation table's entry for a block (py/gc.c keeps its own macros
// private): 2 bits a block, 4 blocks a byte.
#define ATB_KIND(area, block) (((area)->gc_alloc_table_start[(block) / 4] >> (2 * ((block) % 4))) & 3)
#define ATB_KIND_TAIL (2)

// A root the C stack holds: mark the object it points into, wherever in it.
// gc_collect_root follows only pointers to an object's first byte, but code
// may keep just a derived pointer live across a call (e.g. &self->re, hoisted
// out of a loop whose body calls into Python, while `self` itself is dead):
// a native stack scan misses those too, but on wasm the optimisers make them
// common. Only roots get this treatment; pointers inside heap objects still
// must point at an object's start, as py/gc.c expects.
static void collect_interior_root(uintptr_t ptr) {
    for (mp_state_mem_area_t *area = &MP_STATE_MEM(area); area != NULL; area = area->next) {
        if (ptr >= (uintptr_t)area->gc_pool_start && ptr < (uintptr_t)area->gc_pool_end) {
            size_t block = (ptr - (uintptr_t)area->gc_pool_start) / MICROPY_BYTES_PER_GC_BLOCK;
            while (block > 0 && ATB_KIND(area, block) == ATB_KIND_TAIL) {
                block--;
            }
            void *head = area->gc_pool_start + block * MICROPY_BYTES_PER_GC_BLOCK;
            gc_collect_root(&head, 1);
            return;
        }
    }
}

// Find the GC roots. MicroPython keeps roots in its state and on the C stack.
// On wasm, values held in wasm locals or on the operand stack are invisible
// from here, so the link runs binaryen's --flatten and --spill-pointers
// passes, which store every pointer-sized value that is live across a call to
// the linear-memory stack before the call (ports/wasi/CMakeLists.txt says
// why that covers every value): scanning that stack from the current frame
// to the entry frame then sees every live object.
void gc_collect(void) {
    gc_collect_start();
    volatile uintptr_t sp_marker = 0;
    uintptr_t *sp = (uintptr_t *)&sp_marker;
    uintptr_t *top = (uintptr_t *)MP_STATE_THREAD(stack_top);
    for (uintptr_t *p = sp; p < top; p++) {
        collect_interior_root(*p);
    }
    gc_collect_end();
    relink_areas();
}

/******************************************************************************/
// Helpers.

// Each exported entry point marks its own frame as the top of the C stack:
// the host calls in with an empty linear-memory stack every time.
#define MPW_ENTER() mp_cstack_init_with_sp_here(MPW_CSTACK_LIMIT)

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
    if (mp_obj_is_subclass_fast(MP_OBJ_FROM_PTR(mp_obj_get_type(exc)), MP_OBJ_FROM_PTR(&mp_type_SystemExit))) {
        // None is an exit value of 0; an int or bool is its value (the low 8
        // bits); anything else is 1. Nothing here may raise or run guest code
        // (a big int's conversion, an __int__ method): no handler is active.
        mp_obj_t exit_val = mp_obj_exception_get_value(exc);
        mp_int_t val = 1;
        if (exit_val == mp_const_none || exit_val == mp_const_false) {
            val = 0;
        } else if (mp_obj_is_int(exit_val)) {
            val = mp_obj_int_get_truncated(exit_val);
        }
        return MPW_EXIT | (val & 255);
    }
    report_exception(exc);
    return 1;
}

static void exec_source(const char *src, size_t len) {
    mp_lexer_t *lex = mp_lexer_new_from_str_len(MP_QSTR__lt_stdin_gt_, src, len, 0);
    qstr source_name = lex->source_name;
    mp_parse_tree_t parse_tree = mp_parse(lex, MP_PARSE_FILE_INPUT);
    mp_obj_t module_fun = mp_compile(&parse_tree, source_name, false);
    if (!compile_only) {
        mp_call_function_0(module_fun);
    }
}

static void exec_file(const char *path) {
    // Like `micropython FILE`: the script's directory is searched first.
    const char *slash = strrchr(path, '/');
    mp_obj_t dir = slash == NULL ? MP_OBJ_NEW_QSTR(MP_QSTR_) : mp_obj_new_str(path, slash - path);
    mp_obj_list_store(mp_sys_path, MP_OBJ_NEW_SMALL_INT(0), dir);
    mp_lexer_t *lex = mp_lexer_new_from_file(qstr_from_str(path));
    qstr source_name = lex->source_name;
    #if MICROPY_MODULE___FILE__
    mp_store_global(MP_QSTR___file__, MP_OBJ_NEW_QSTR(source_name));
    #endif
    mp_parse_tree_t parse_tree = mp_parse(lex, MP_PARSE_FILE_INPUT);
    mp_obj_t module_fun = mp_compile(&parse_tree, source_name, false);
    if (!compile_only) {
        mp_call_function_0(module_fun);
    }
}

static void exec_module(const char *name) {
    // Import with __name__ set to "__main__" (MICROPY_MODULE_OVERRIDE_MAIN_IMPORT).
    mp_obj_t args[4] = {
        mp_obj_new_str_from_cstr(name), mp_const_none, mp_const_none, mp_const_false,
    };
    mp_obj_t module = mp_builtin___import__(MP_ARRAY_SIZE(args), args);
    // A package runs its __main__ submodule, as with `micropython -m PACKAGE`.
    mp_obj_t dest[2];
    mp_load_method_protected(module, MP_QSTR___path__, dest, true);
    if (dest[0] != MP_OBJ_NULL) {
        vstr_t vstr;
        vstr_init(&vstr, strlen(name) + sizeof(".__main__"));
        vstr_add_str(&vstr, name);
        vstr_add_str(&vstr, ".__main__");
        args[0] = mp_obj_new_str_from_vstr(&vstr);
        mp_builtin___import__(MP_ARRAY_SIZE(args), args);
    }
}

/******************************************************************************/
// Exports.

// Start the interpreter with a GC heap of heap_size bytes, allowed to grow in
// further areas while linear memory in use stays within heap_max bytes (see
// gc_get_max_new_split). Returns 0, or -1 if the memory for the initial heap
// could not be had.
MPW_EXPORT(mpw_init) int mpw_init(size_t heap_size, size_t heap_max_bytes) {
    MPW_ENTER();
    heap_max = heap_max_bytes;
    char *heap = heap_area_alloc(&heap_size, SIZE_MAX);
    if (heap == NULL) {
        return -1;
    }
    gc_init(heap, heap + heap_size);
    #if MICROPY_WASI_GC_TORTURE
    // A test build: collect before every allocation, so that any pointer the
    // collector cannot see is freed at the first chance (tests/test_gc_roots.py).
    MP_STATE_MEM(gc_alloc_threshold) = 0;
    #endif
    mp_init();

    // The POSIX VFS at "/" sees exactly the directories the host preopened.
    mp_obj_t args[2] = {
        MP_OBJ_TYPE_GET_SLOT(&mp_type_vfs_posix, make_new)(&mp_type_vfs_posix, 0, 0, NULL),
        MP_OBJ_NEW_QSTR(MP_QSTR__slash_),
    };
    mp_vfs_mount(2, args, (mp_map_t *)&mp_const_empty_map);
    MP_STATE_VM(vfs_cur) = MP_STATE_VM(vfs_mount_table);

    mp_sys_path = mp_obj_new_list(0, NULL);
    mp_obj_list_append(mp_sys_path, MP_OBJ_NEW_QSTR(MP_QSTR_));
    mp_obj_list_append(mp_sys_path, MP_OBJ_NEW_QSTR(MP_QSTR__dot_frozen));
    mp_obj_list_append(mp_sys_path, MP_OBJ_NEW_QSTR(MP_QSTR__slash_lib));
    mp_obj_list_init(MP_OBJ_TO_PTR(mp_sys_argv), 0);

    // The host may snapshot the memory of an instance at this point and start
    // later instances from it, each with its own preopened directories:
    // forget the preopens seen so far, so that libc looks them up again on
    // first use in whichever instance that happens.
    __wasilibc_reset_preopens();
    return 0;
}

// Change heap_max (see mpw_init).
MPW_EXPORT(mpw_set_heap_max) void mpw_set_heap_max(size_t heap_max_bytes) {
    heap_max = heap_max_bytes;
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
    heap_limit_reached = false;
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
                exec_file(input_buf);
            } else if (kind == MPW_EXEC_MODULE) {
                exec_module(input_buf);
            } else {
                exec_source(input_buf, len);
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
    if (heap_limit_reached) {
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
            compile_only = value != 0;
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
    #if MICROPY_PY_SYS_ATEXIT
    if (mp_obj_is_callable(MP_STATE_VM(sys_exitfunc))) {
        nlr_buf_t nlr;
        if (nlr_push(&nlr) == 0) {
            mp_call_function_0(MP_STATE_VM(sys_exitfunc));
            nlr_pop();
        }
    }
    #endif
    #if MICROPY_DEBUG_PRINTERS && MICROPY_PY_MICROPYTHON_MEM_INFO
    // `micropython -v` ends with the memory statistics.
    if (mp_verbose_flag) {
        mp_micropython_mem_info(0, NULL);
    }
    #endif
    gc_sweep_all();
    mp_deinit();
    mpw_console_flush();
}

/******************************************************************************/
// Port hooks required by the core.

void nlr_jump_fail(void *val) {
    mp_printf(&mp_stderr_print, "FATAL: uncaught NLR %p\n", val);
    mpw_console_flush();
    abort();
}

void MP_NORETURN __fatal_error(const char *msg) {
    mp_printf(&mp_stderr_print, "FATAL: %s\n", msg);
    mpw_console_flush();
    abort();
}

#ifndef NDEBUG
void MP_WEAK __assert_func(const char *file, int line, const char *func, const char *expr) {
    mp_printf(&mp_stderr_print, "Assertion '%s' failed, at file %s:%d\n", expr, file, line);
    __fatal_error("Assertion failed");
}
#endif
