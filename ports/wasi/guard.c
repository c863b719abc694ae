/*
 * Guards against C recursion that would exhaust the wasm stack, and against
 * allocation sizes that overflow 32 bits (see guard.h for where they apply).
 *
 * Two stacks limit recursion in a wasm guest. MicroPython's stack check
 * (MICROPY_STACK_CHECK) measures the C stack that the compiler keeps in
 * linear memory, the "shadow" stack. The engine's own stack, which holds each
 * wasm function's locals and spills, is invisible to the guest: the host sets
 * its size (max_wasm_stack), and running out of it is a trap that ends the
 * interpreter. For most code the engine stack grows by about 1.7 bytes per
 * byte of shadow stack, so MicroPython's check fires first. Some recursive
 * paths have small shadow frames and large engine frames, or no stack check
 * at all; for those the guards below estimate the engine stack from the
 * shadow stack with a measured ratio, and raise RecursionError (a
 * RuntimeError, as for any deep recursion: patches/0007-recursion-error.patch)
 * while there is still room to unwind.
 *
 * The ratios depend on the compiler and on the engine; tests/security
 * exercises every guarded path at its deepest to keep them honest.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "py/compile.h"
#include "py/cstack.h"
#include "py/mphal.h"
#include "py/objstr.h"
#include "py/parsenum.h"
#include "py/runtime.h"
#include "mpw_abi.h"

// Engine stack the host grants (MICROPY_WASI_ENGINE_STACK in mpw_abi.h),
// and how much of it the guards keep in reserve.
#define ENGINE_STACK_RESERVE (160 * 1024)
#define ENGINE_STACK_BUDGET (MICROPY_WASI_ENGINE_STACK - ENGINE_STACK_RESERVE)

// Engine bytes per shadow byte, with a margin over what was measured.
#define RATIO_DEFAULT (2)   // the bytecode interpreter and ordinary C code
#define RATIO_COMPILE (12)  // py/compile.c's recursion over the parse tree
#define RATIO_RE (9)        // re1.5's backtracking matcher

// Shadow and engine stack per nesting level of re1.5's pattern compiler.
#define RE_COMPILE_SHADOW_FRAME (64)
#define RE_COMPILE_ENGINE_FRAME (320)
#define SHADOW_STACK_RESERVE (16 * 1024)

// Shadow stack kept by each wrapper below while it calls on, so that the
// paths through it keep to RATIO_DEFAULT.
#define WRAPPER_PAD (64)

// Where the wrappers publish their padding, so that the compiler has to keep
// it on the shadow stack.
static char *volatile pad_sink;
#define PAD_FRAME() char pad[WRAPPER_PAD]; pad_sink = pad
#define PAD_KEEP() pad_sink = pad

// How often the long-running guarded loops look at the soft deadline.
#define DEADLINE_POLL_INTERVAL (1024)

// The largest object a guest can ask for: beyond this a size computation may
// have wrapped around, and no memory limit could grant it anyway.
#define MAX_OBJECT_SIZE ((uint64_t)0x7fffffff)

// The current position on the shadow stack (an address in this function's
// frame, which is just below its caller's).
static MP_NOINLINE char *shadow_sp(void) {
    volatile char marker = 0;
    char *volatile sp = (char *)&marker;
    return sp;
}

static MP_NORETURN void raise_too_large(void) {
    mpw_memory_limit_reached();
    mp_raise_msg(&mp_type_MemoryError, MP_ERROR_TEXT("object too large"));
}

size_t mpw_checked_size(uint64_t size) {
    if (size > MAX_OBJECT_SIZE) {
        raise_too_large();
    }
    return (size_t)size;
}

// Raise RecursionError if the engine stack, estimated as RATIO_DEFAULT times
// the shadow stack above `base` plus `ratio` times the shadow stack below it,
// would exceed the budget once `extra` more engine bytes are used.
static void check_engine_stack(char *base, char *sp, size_t ratio, size_t extra) {
    char *top = MP_STATE_THREAD(stack_top);
    if (base == NULL || base > top || base < sp) {
        base = sp;
    }
    size_t estimate = RATIO_DEFAULT * (size_t)(top - base) + ratio * (size_t)(base - sp) + extra;
    if (estimate > ENGINE_STACK_BUDGET) {
        mp_raise_recursion_depth();
    }
    mp_cstack_check();
}

// Let the soft timeout and Sandbox.interrupt() stop a long loop in C.
static void poll_deadline(unsigned int *counter) {
    if (++*counter < DEADLINE_POLL_INTERVAL) {
        return;
    }
    *counter = 0;
    mp_hal_check_deadline();
    if (MP_STATE_THREAD(mp_pending_exception) != MP_OBJ_NULL) {
        mp_handle_pending(MP_HANDLE_PENDING_CALLBACKS_AND_EXCEPTIONS);
    }
}

/******************************************************************************/
// Operators (py/runtime.c, py/obj.c): nested containers compare, order and
// hash recursively, through these, without a stack check of their own.

mp_obj_t mpw_binary_op_unguarded(mp_binary_op_t op, mp_obj_t lhs, mp_obj_t rhs);
mp_obj_t mpw_unary_op_unguarded(mp_unary_op_t op, mp_obj_t arg);
bool mpw_obj_equal_unguarded(mp_obj_t o1, mp_obj_t o2);

// seq * n (py/objstr.c, py/objlist.c, py/objtuple.c): the size of the result,
// checked where the sequence's own code reads the count (which may call a
// user __int__) and before it computes the size in 32 bits.
bool mpw_repeat_count(mp_const_obj_t times, mp_int_t *n, size_t len, size_t item_size) {
    if (!mp_obj_get_int_maybe(times, n)) {
        return false;
    }
    if (*n > 0 && len > 0 && (uint64_t)*n > MAX_OBJECT_SIZE / item_size / len) {
        raise_too_large();
    }
    return true;
}

mp_obj_t mp_binary_op(mp_binary_op_t op, mp_obj_t lhs, mp_obj_t rhs) {
    PAD_FRAME();
    mp_cstack_check();
    mp_obj_t result = mpw_binary_op_unguarded(op, lhs, rhs);
    PAD_KEEP();
    return result;
}

mp_obj_t mp_unary_op(mp_unary_op_t op, mp_obj_t arg) {
    PAD_FRAME();
    mp_cstack_check();
    mp_obj_t result = mpw_unary_op_unguarded(op, arg);
    PAD_KEEP();
    return result;
}

// Iteration from C: the soft timeout reaches loops like sum(range(10**10)).
mp_obj_t mpw_iternext_unguarded(mp_obj_t o);
static unsigned int iter_polls;

mp_obj_t mp_iternext(mp_obj_t o) {
    poll_deadline(&iter_polls);
    return mpw_iternext_unguarded(o);
}

bool mp_obj_equal(mp_obj_t o1, mp_obj_t o2) {
    PAD_FRAME();
    mp_cstack_check();
    bool result = mpw_obj_equal_unguarded(o1, o2);
    PAD_KEEP();
    return result;
}

/******************************************************************************/
// The parser (py/lexer.c) and the compiler (py/compile.c).

void mpw_lexer_to_next_unguarded(mp_lexer_t *lex);
static unsigned int lexer_polls;

void mp_lexer_to_next(mp_lexer_t *lex) {
    poll_deadline(&lexer_polls);
    mpw_lexer_to_next_unguarded(lex);
}

mp_obj_t mpw_compile_unguarded(mp_parse_tree_t *parse_tree, qstr source_file, bool is_repl);
void mpw_compile_to_raw_code_unguarded(mp_parse_tree_t *parse_tree, qstr source_file, bool is_repl,
    mp_compiled_module_t *cm);

// Where on the shadow stack the compilation in progress started.
static char *compile_base;
static unsigned int compile_polls;

void mpw_compile_check(void) {
    check_engine_stack(compile_base, shadow_sp(), RATIO_COMPILE, 0);
    poll_deadline(&compile_polls);
}

mp_obj_t mp_compile(mp_parse_tree_t *parse_tree, qstr source_file, bool is_repl) {
    char *saved = compile_base;
    compile_base = shadow_sp();
    mp_obj_t result = mpw_compile_unguarded(parse_tree, source_file, is_repl);
    compile_base = saved;
    return result;
}

void mp_compile_to_raw_code(mp_parse_tree_t *parse_tree, qstr source_file, bool is_repl,
    mp_compiled_module_t *cm) {
    char *saved = compile_base;
    compile_base = shadow_sp();
    mpw_compile_to_raw_code_unguarded(parse_tree, source_file, is_repl, cm);
    compile_base = saved;
}

/******************************************************************************/
// Regular expressions (extmod/modre.c, lib/re1.5).

// Where on the shadow stack the match in progress started (NULL: at the
// next check).
static char *re_base;
static unsigned int re_polls;

const char *mpw_re_subject(mp_obj_t o, size_t *len) {
    re_base = NULL;
    return mp_obj_str_get_data(o, len);
}

void mpw_re_check(void) {
    char *sp = shadow_sp();
    if (re_base == NULL || sp > re_base) {
        re_base = sp;
    }
    check_engine_stack(re_base, sp, RATIO_RE, 0);
    poll_deadline(&re_polls);
}

// re.compile(pattern): the pattern compiler recurses once per nested group.
const char *mpw_re_str_get_str(mp_obj_t o, const char *expr) {
    const char *str = mp_obj_str_get_str(o);
    if (strcmp(expr, "args[0]") == 0) {
        size_t depth = 0, max_depth = 0;
        for (const char *p = str; *p; p++) {
            if (*p == '\\' && p[1] != '\0') {
                p++;
            } else if (*p == '(') {
                if (++depth > max_depth) {
                    max_depth = depth;
                }
            } else if (*p == ')' && depth > 0) {
                depth--;
            }
        }
        // The pattern compiler has no stack check of its own: it may use the
        // whole shadow stack, less a reserve for the frames below it.
        char *sp = shadow_sp();
        size_t used = MP_STATE_THREAD(stack_top) - sp;
        if (used + max_depth * RE_COMPILE_SHADOW_FRAME > MICROPY_WASI_STACK_SIZE - SHADOW_STACK_RESERVE) {
            mp_raise_recursion_depth();
        }
        check_engine_stack(sp, sp, RATIO_DEFAULT, max_depth * RE_COMPILE_ENGINE_FRAME);
    }
    return str;
}

/******************************************************************************/
// str.join and bytes.join (py/objstr.c).

void mpw_join_get_array(mp_obj_t o, size_t *len, mp_obj_t **items, size_t sep_len) {
    mp_obj_get_array(o, len, items);
    uint64_t total = *len > 1 ? (uint64_t)sep_len * (*len - 1) : 0;
    for (size_t i = 0; i < *len; i++) {
        mp_obj_t item = (*items)[i];
        if (mp_obj_is_str_or_bytes(item)) {
            GET_STR_LEN(item, l);
            total += l;
        } else if (mp_obj_is_type(item, &mp_type_bytearray)) {
            total += mp_obj_get_int(mp_obj_len(item));
        }
        if (total > MAX_OBJECT_SIZE) {
            raise_too_large();
        }
    }
}

/******************************************************************************/
// struct format counts (py/modstruct.c).

mp_obj_t mpw_struct_count(const char *str, size_t len, int base, mp_lexer_t *lex) {
    mp_obj_t count = mp_parse_num_integer(str, len, base, lex);
    if (!mp_obj_is_small_int(count)) {
        mp_raise_ValueError(MP_ERROR_TEXT("struct format count too large"));
    }
    return count;
}

/******************************************************************************/
// array.array(typecode, iterable) (py/objarray.c).

mp_obj_t mpw_array_len_maybe(mp_obj_t o) {
    mp_obj_t len = mp_obj_len_maybe(o);
    if (len != MP_OBJ_NULL && !mp_obj_is_small_int(len)) {
        raise_too_large();
    }
    return len;
}

mp_obj_t mpw_array_iternext(mp_obj_t iter, size_t index, size_t len) {
    mp_obj_t item = mp_iternext(iter);
    if (len != 0 && index >= len && item != MP_OBJ_STOP_ITERATION) {
        mp_raise_msg(&mp_type_RuntimeError, MP_ERROR_TEXT("iterable yielded more items than its len()"));
    }
    return item;
}

/******************************************************************************/
// Opening files (extmod/vfs_posix_file.c).

int mpw_open_regular(const char *path, int flags, int mode) {
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) {
        errno = EPERM;
        return -1;
    }
    return open(path, flags, mode);
}
