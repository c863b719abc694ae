/*
 * Starting and stopping the interpreter and running code: what the reactor's
 * exports (main.c) and the command's main() (main_command.c) share.
 */

#include <stdlib.h>
#include <string.h>

#include "py/builtin.h"
#include "py/compile.h"
#include "py/gc.h"
#include "py/mphal.h"
#include "py/runtime.h"
#include "extmod/vfs.h"
#include "extmod/vfs_posix.h"
#include "hostif.h"
#include "interp.h"

bool mpw_compile_only;

void mpw_interp_init(void) {
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
}

void mpw_interp_deinit(void) {
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

bool mpw_exit_status(mp_obj_t exc, int *status) {
    if (!mp_obj_is_subclass_fast(MP_OBJ_FROM_PTR(mp_obj_get_type(exc)), MP_OBJ_FROM_PTR(&mp_type_SystemExit))) {
        return false;
    }
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
    *status = val & 255;
    return true;
}

void mpw_exec_source(const char *src, size_t len, mp_parse_input_kind_t kind) {
    mp_lexer_t *lex = mp_lexer_new_from_str_len(MP_QSTR__lt_stdin_gt_, src, len, 0);
    qstr source_name = lex->source_name;
    mp_parse_tree_t parse_tree = mp_parse(lex, kind);
    mp_obj_t module_fun = mp_compile(&parse_tree, source_name, kind == MP_PARSE_SINGLE_INPUT);
    if (!mpw_compile_only) {
        mp_call_function_0(module_fun);
    }
}

void mpw_exec_file(const char *path) {
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
    if (!mpw_compile_only) {
        mp_call_function_0(module_fun);
    }
}

void mpw_exec_module(const char *name) {
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
