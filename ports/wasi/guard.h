/*
 * Guards for upstream code paths that can exhaust the wasm stack or
 * miscompute an allocation size on a 32-bit target.
 *
 * This header is force-included (CMakeLists.txt) into a few upstream source
 * files, each compiled with one MPW_GUARD_* macro defined. It renames a
 * function those files define, or wraps a function they call, so that the
 * code in guard.c runs at the point where a hostile program could otherwise
 * crash the interpreter:
 *
 *  - C recursion that MicroPython does not bound (comparing, hashing or
 *    compiling deeply nested data, regular expressions) raises
 *    RecursionError("maximum recursion depth exceeded") before the wasm stack
 *    runs out. See guard.c for how the wasm stack is estimated.
 *  - Loops in C over an iterator (sum(), list(), sorted(), str.join() ...),
 *    parsing, compiling and regular expressions see the soft timeout, as the
 *    bytecode interpreter's loops do.
 *  - Files in a mounted directory that are not regular files or directories
 *    (FIFOs, sockets, devices) are not opened: that could block the host.
 *  - struct format counts too large for a small int raise ValueError.
 *  - Sizes computed as len * n in 32 bits (sequence repetition, bytes.join,
 *    array constructors) raise MemoryError instead of wrapping around to a
 *    small allocation that is then overrun.
 *
 * Nothing in the upstream sources is changed; each guard is tied to one
 * function name, so a future upstream version that renames it fails to build
 * rather than silently losing the guard.
 */
#ifndef MICROPY_INCLUDED_WASI_GUARD_H
#define MICROPY_INCLUDED_WASI_GUARD_H

#if defined(MPW_GUARD_RUNTIME_C)

// py/runtime.c: its mp_binary_op, mp_unary_op and mp_iternext become the
// unguarded versions; every other file calls the wrappers in guard.c.
#define mp_binary_op mpw_binary_op_unguarded
#define mp_unary_op mpw_unary_op_unguarded
#define mp_iternext mpw_iternext_unguarded

#elif defined(MPW_GUARD_OBJ_C)

// py/obj.c: equality of nested containers recurses through mp_obj_equal.
#define mp_obj_equal mpw_obj_equal_unguarded

#elif defined(MPW_GUARD_LEXER_C)

// py/lexer.c: the parser takes each token through mp_lexer_to_next, which is
// where parsing a huge source sees the soft timeout.
#define mp_lexer_to_next mpw_lexer_to_next_unguarded

#elif defined(MPW_GUARD_COMPILE_C)

// py/compile.c: the compiler recurses over the parse tree without a stack
// check. compile_node() starts with MP_PARSE_NODE_IS_NULL, which also serves
// as the check; the entry points note where compiling started.
#include "py/parse.h"
#undef MP_PARSE_NODE_IS_NULL
#define MP_PARSE_NODE_IS_NULL(pn) (mpw_compile_check(), (pn) == MP_PARSE_NODE_NULL)
#define mp_compile mpw_compile_unguarded
#define mp_compile_to_raw_code mpw_compile_to_raw_code_unguarded
void mpw_compile_check(void);

#elif defined(MPW_GUARD_MODRE_C)

// extmod/modre.c: re1.5's backtracking matcher calls mp_cstack_check() once
// per recursion; the subject string is fetched just before each match; the
// pattern is fetched as args[0] in re.compile() before its recursive compiler
// runs.
#include "py/obj.h"
#include "py/cstack.h"
#define mp_cstack_check mpw_re_check
#define mp_obj_str_get_data(o, len) mpw_re_subject((o), (len))
#define mp_obj_str_get_str(o) mpw_re_str_get_str((o), #o)
void mpw_re_check(void);
const char *mpw_re_subject(mp_obj_t o, size_t *len);
const char *mpw_re_str_get_str(mp_obj_t o, const char *expr);

#elif defined(MPW_GUARD_OBJSTR_C)

// py/objstr.c: str.join/bytes.join sums the lengths of the pieces in size_t.
// mp_obj_get_array is only used by join here, where sep_len is in scope.
#include "py/obj.h"
#define mp_obj_get_array(o, len, items) mpw_join_get_array((o), (len), (items), sep_len)
void mpw_join_get_array(mp_obj_t o, size_t *len, mp_obj_t **items, size_t sep_len);
// str * n and bytes * n: the only mp_obj_get_int_maybe here reads that n.
#define mp_obj_get_int_maybe(arg_, value_) mpw_repeat_count((arg_), (value_), lhs_len, 1)
bool mpw_repeat_count(mp_const_obj_t times, mp_int_t *n, size_t len, size_t item_size);

#elif defined(MPW_GUARD_OBJLIST_C) || defined(MPW_GUARD_OBJTUPLE_C)

// py/objlist.c, py/objtuple.c: list * n and tuple * n compute the size of
// the result in 32 bits. The only mp_obj_get_int_maybe in each reads that n.
#include "py/obj.h"
#define mp_obj_get_int_maybe(arg_, value_) mpw_repeat_count((arg_), (value_), o->len, sizeof(mp_obj_t))
bool mpw_repeat_count(mp_const_obj_t times, mp_int_t *n, size_t len, size_t item_size);

#elif defined(MPW_GUARD_VFS_POSIX_FILE_C)

// extmod/vfs_posix_file.c: opening a FIFO, socket or device in a mounted
// directory blocks the host's thread until another process acts, and the
// engine's time limit cannot interrupt a host call; only regular files and
// directories are opened.
#include <fcntl.h>
int mpw_open_regular(const char *path, int flags, int mode);
#define open(path, flags, mode) mpw_open_regular((path), (flags), (mode))

#elif defined(MPW_GUARD_MODSTRUCT_C)

// py/modstruct.c: a repeat count in a format ('2000000000i') is parsed and
// taken as a small int even when it is not one, which gives a meaningless
// count. The only number it parses is that count.
#include "py/parsenum.h"
mp_obj_t mpw_struct_count(const char *str, size_t len, int base, mp_lexer_t *lex);
#define mp_parse_num_integer(str, len, base, lex) mpw_struct_count((str), (len), (base), (lex))

#elif defined(MPW_GUARD_OBJARRAY_C)

// py/objarray.c: array(typecode, iterable) sizes the array from len() and
// then stores what the iteration yields without checking it against that
// length, and computes element size * length in 32 bits. Here len() must be
// a small int, the iteration may not yield more than len() items (a __len__
// can lie, and an __int__ or __float__ can grow a list being iterated), and
// sizes are computed in 64 bits and checked. (The multiplication by 1ull comes
// first so that the whole size expression is evaluated in 64 bits.)
#include <stdint.h>
#include "py/misc.h"
#include "py/runtime.h"
size_t mpw_checked_size(uint64_t size);
mp_obj_t mpw_array_len_maybe(mp_obj_t o);
mp_obj_t mpw_array_iternext(mp_obj_t iter, size_t index, size_t len);
#define mp_obj_len_maybe(o) mpw_array_len_maybe(o)
#define mp_iternext(iter) mpw_array_iternext((iter), i, len)
#undef m_new
#define m_new(type, num) ((type *)(m_malloc(mpw_checked_size(sizeof(type) * (1ull * num)))))
#undef m_renew
#if MICROPY_MALLOC_USES_ALLOCATED_SIZE
#define m_renew(type, ptr, old_num, new_num) \
    ((type *)(m_realloc((ptr), sizeof(type) * (old_num), mpw_checked_size(sizeof(type) * (1ull * new_num)))))
#else
#define m_renew(type, ptr, old_num, new_num) \
    ((type *)(m_realloc((ptr), mpw_checked_size(sizeof(type) * (1ull * new_num)))))
#endif

#endif

#endif // MICROPY_INCLUDED_WASI_GUARD_H
