/*
 * Host functions: Python callables whose calls cross to the host.
 *
 * Arguments and results cross as a compact tagged encoding, the same one the
 * host library implements (python/micropython_wasi/_codec.py):
 *   'N' None, 'T' True, 'F' False,
 *   'i' int as 8 bytes little-endian, 'I' int as u32 length + decimal text,
 *   'f' float as 8 bytes little-endian IEEE-754,
 *   's' str, 'b' bytes: u32 length + data,
 *   'l' list, 't' tuple: u32 count + items, 'd' dict: u32 count + key, value pairs.
 * A call sends a tuple of positional arguments followed by a dict of keyword
 * arguments; the host replies 'R' + value, or 'E' + type name + message.
 */

#include <string.h>

#include "py/binary.h"
#include "py/builtin.h"
#include "py/objint.h"
#include "py/objstr.h"
#include "py/parsenum.h"
#include "py/runtime.h"
#include "py/stackctrl.h"
#include "hostif.h"
#include "modhost.h"

/******************************************************************************/
// Encoding.

// Room for n more bytes. vstr grows by what is asked for, so a payload built
// from many small pieces would be copied over and over (quadratic time): ask
// for at least as much again as it holds.
static void enc_reserve(vstr_t *out, size_t n) {
    if (out->alloc - out->len < n) {
        vstr_hint_size(out, n > out->alloc ? n : out->alloc);
    }
}

static void enc_byte(vstr_t *out, char c) {
    enc_reserve(out, 1);
    vstr_add_byte(out, c);
}

static void enc_u32(vstr_t *out, uint32_t v) {
    enc_reserve(out, 4);
    char *p = vstr_add_len(out, 4);
    mp_binary_set_int(4, false, (byte *)p, v);
}

// 8 bytes little-endian (mp_binary_set_int takes a machine word: 32 bits here).
static void enc_u64(vstr_t *out, uint64_t v) {
    enc_reserve(out, 8);
    byte *p = (byte *)vstr_add_len(out, 8);
    for (int i = 0; i < 8; i++) {
        p[i] = (byte)(v >> (8 * i));
    }
}

static void enc_data(vstr_t *out, char tag, const char *data, size_t len) {
    enc_byte(out, tag);
    enc_u32(out, len);
    enc_reserve(out, len);
    vstr_add_strn(out, data, len);
}

static void encode(vstr_t *out, mp_obj_t obj) {
    MP_STACK_CHECK();
    if (obj == mp_const_none) {
        enc_byte(out, 'N');
    } else if (obj == mp_const_true) {
        enc_byte(out, 'T');
    } else if (obj == mp_const_false) {
        enc_byte(out, 'F');
    } else if (mp_obj_is_small_int(obj)) {
        enc_byte(out, 'i');
        enc_u64(out, (uint64_t)(int64_t)MP_OBJ_SMALL_INT_VALUE(obj));
    } else if (mp_obj_is_exact_type(obj, &mp_type_int)) {
        vstr_t digits;
        mp_print_t print;
        vstr_init_print(&digits, 16, &print);
        mp_obj_print_helper(&print, obj, PRINT_STR);
        enc_data(out, 'I', digits.buf, digits.len);
        vstr_clear(&digits);
    #if MICROPY_PY_BUILTINS_FLOAT
    } else if (mp_obj_is_float(obj)) {
        enc_byte(out, 'f');
        union { double d; uint64_t u; } v = {.d = mp_obj_float_get(obj)};
        enc_u64(out, v.u);
    #endif
    } else if (mp_obj_is_str(obj)) {
        GET_STR_DATA_LEN(obj, s, l);
        enc_data(out, 's', (const char *)s, l);
    } else if (mp_obj_is_type(obj, &mp_type_bytes) || mp_obj_is_type(obj, &mp_type_bytearray)) {
        mp_buffer_info_t bufinfo;
        mp_get_buffer_raise(obj, &bufinfo, MP_BUFFER_READ);
        enc_data(out, 'b', bufinfo.buf, bufinfo.len);
    } else if (mp_obj_is_type(obj, &mp_type_list) || mp_obj_is_type(obj, &mp_type_tuple)) {
        size_t n;
        mp_obj_t *items;
        mp_obj_get_array(obj, &n, &items);
        enc_byte(out, mp_obj_is_type(obj, &mp_type_list) ? 'l' : 't');
        enc_u32(out, n);
        for (size_t i = 0; i < n; i++) {
            encode(out, items[i]);
        }
    } else if (mp_obj_is_type(obj, &mp_type_dict)) {
        mp_map_t *map = mp_obj_dict_get_map(obj);
        enc_byte(out, 'd');
        enc_u32(out, map->used);
        for (size_t i = 0; i < map->alloc; i++) {
            if (mp_map_slot_is_filled(map, i)) {
                encode(out, map->table[i].key);
                encode(out, map->table[i].value);
            }
        }
    } else {
        mp_raise_msg_varg(&mp_type_TypeError,
            MP_ERROR_TEXT("can't pass '%s' to a host function"), mp_obj_get_type_str(obj));
    }
}

/******************************************************************************/
// Decoding.

typedef struct _reader_t {
    const byte *p;
    const byte *end;
} reader_t;

static MP_NORETURN void bad_reply(void) {
    mp_raise_msg(&mp_type_ValueError, MP_ERROR_TEXT("malformed reply from host"));
}

static const byte *take(reader_t *r, size_t n) {
    if ((size_t)(r->end - r->p) < n) {
        bad_reply();
    }
    const byte *p = r->p;
    r->p += n;
    return p;
}

static uint32_t take_u32(reader_t *r) {
    return mp_binary_get_int(4, false, false, take(r, 4));
}

static mp_obj_t decode(reader_t *r) {
    MP_STACK_CHECK();
    char tag = *take(r, 1);
    switch (tag) {
        case 'N':
            return mp_const_none;
        case 'T':
            return mp_const_true;
        case 'F':
            return mp_const_false;
        case 'i':
            return mp_obj_new_int_from_ll(mp_binary_get_int(8, true, false, take(r, 8)));
        case 'I': {
            size_t n = take_u32(r);
            return mp_parse_num_integer((const char *)take(r, n), n, 10, NULL);
        }
        #if MICROPY_PY_BUILTINS_FLOAT
        case 'f': {
            union { double d; uint64_t u; } v;
            v.u = mp_binary_get_int(8, false, false, take(r, 8));
            return mp_obj_new_float(v.d);
        }
        #endif
        case 's': {
            size_t n = take_u32(r);
            return mp_obj_new_str((const char *)take(r, n), n);
        }
        case 'b': {
            size_t n = take_u32(r);
            return mp_obj_new_bytes(take(r, n), n);
        }
        case 'l':
        case 't': {
            size_t n = take_u32(r);
            if (n > (size_t)(r->end - r->p)) {
                bad_reply();
            }
            mp_obj_t seq = tag == 'l' ? mp_obj_new_list(n, NULL) : mp_obj_new_tuple(n, NULL);
            size_t len;
            mp_obj_t *items;
            mp_obj_get_array(seq, &len, &items);
            for (size_t i = 0; i < n; i++) {
                items[i] = decode(r);
            }
            return seq;
        }
        case 'd': {
            size_t n = take_u32(r);
            if (n > (size_t)(r->end - r->p)) {
                bad_reply();
            }
            mp_obj_t dict = mp_obj_new_dict(n);
            for (size_t i = 0; i < n; i++) {
                mp_obj_t key = decode(r);
                mp_obj_dict_store(dict, key, decode(r));
            }
            return dict;
        }
        default:
            bad_reply();
    }
}

/******************************************************************************/
// The host function type.

typedef struct _mp_obj_host_function_t {
    mp_obj_base_t base;
    qstr name;
} mp_obj_host_function_t;

// Map an exception type name from the host to a MicroPython exception type.
static const mp_obj_type_t *exception_type(mp_obj_t name) {
    mp_obj_t builtins = MP_OBJ_FROM_PTR(&mp_module_builtins);
    mp_obj_t dest[2];
    mp_load_method_protected(builtins, mp_obj_str_get_qstr(name), dest, true);
    if (dest[0] != MP_OBJ_NULL && mp_obj_is_type(dest[0], &mp_type_type)
        && mp_obj_is_subclass_fast(dest[0], MP_OBJ_FROM_PTR(&mp_type_Exception))) {
        return MP_OBJ_TO_PTR(dest[0]);
    }
    return &mp_type_RuntimeError;
}

static mp_obj_t host_function_call(mp_obj_t self_in, size_t n_args, size_t n_kw, const mp_obj_t *args) {
    mp_obj_host_function_t *self = MP_OBJ_TO_PTR(self_in);

    vstr_t payload;
    vstr_init(&payload, 64);
    // The positional arguments, encoded as a tuple straight from `args`: a
    // temporary tuple would be referenced, while encode() allocates, only
    // through a pointer into its middle, which the GC does not follow.
    enc_byte(&payload, 't');
    enc_u32(&payload, n_args);
    for (size_t i = 0; i < n_args; i++) {
        encode(&payload, args[i]);
    }
    enc_byte(&payload, 'd');
    enc_u32(&payload, n_kw);
    for (size_t i = 0; i < n_kw; i++) {
        encode(&payload, args[n_args + 2 * i]);
        encode(&payload, args[n_args + 2 * i + 1]);
    }

    // Output written so far comes before anything the host function does.
    mpw_console_flush();
    size_t name_len;
    const char *name = (const char *)qstr_data(self->name, &name_len);
    int32_t reply_len = mpw_host_call(name, name_len, payload.buf, payload.len);
    vstr_clear(&payload);
    // A host function that returned after the soft timeout: its
    // KeyboardInterrupt comes now (the program might end before the next
    // check, or the host's hard limit, which counts from the return, stop it).
    mp_hal_check_deadline();
    mp_handle_pending(MP_HANDLE_PENDING_CALLBACKS_AND_EXCEPTIONS);
    if (reply_len < 0) {
        mp_raise_msg_varg(&mp_type_RuntimeError, MP_ERROR_TEXT("host refused call to '%q'"), self->name);
    }

    byte *reply = m_new(byte, reply_len);
    mpw_host_reply(reply, reply_len);
    reader_t r = {reply, reply + reply_len};
    char kind = *take(&r, 1);
    mp_obj_t result = decode(&r);
    if (kind == 'E') {
        mp_obj_t message = decode(&r);
        m_del(byte, reply, reply_len);
        mp_obj_exception_t *exc = MP_OBJ_TO_PTR(mp_obj_new_exception_arg1(exception_type(result), message));
        nlr_raise(MP_OBJ_FROM_PTR(exc));
    }
    m_del(byte, reply, reply_len);
    return result;
}

static void host_function_print(const mp_print_t *print, mp_obj_t self_in, mp_print_kind_t kind) {
    mp_obj_host_function_t *self = MP_OBJ_TO_PTR(self_in);
    mp_printf(print, "<host function %q>", self->name);
}

static MP_DEFINE_CONST_OBJ_TYPE(
    mp_type_host_function,
    MP_QSTR_host_function,
    MP_TYPE_FLAG_NONE,
    call, host_function_call,
    print, host_function_print
    );

/******************************************************************************/
// The `host` module: registered host functions as attributes.

MP_REGISTER_ROOT_POINTER(mp_obj_t host_functions);

void mp_host_register(const char *name, size_t len) {
    if (MP_STATE_VM(host_functions) == MP_OBJ_NULL) {
        MP_STATE_VM(host_functions) = mp_obj_new_dict(4);
    }
    mp_obj_host_function_t *fn = mp_obj_malloc(mp_obj_host_function_t, &mp_type_host_function);
    fn->name = qstr_from_strn(name, len);
    mp_obj_dict_store(MP_STATE_VM(host_functions), MP_OBJ_NEW_QSTR(fn->name), MP_OBJ_FROM_PTR(fn));
    mp_store_attr(MP_OBJ_FROM_PTR(&mp_module_builtins), fn->name, MP_OBJ_FROM_PTR(fn));
}

static mp_obj_t host_getattr(mp_obj_t attr) {
    if (MP_STATE_VM(host_functions) != MP_OBJ_NULL) {
        mp_map_elem_t *elem = mp_map_lookup(mp_obj_dict_get_map(MP_STATE_VM(host_functions)), attr, MP_MAP_LOOKUP);
        if (elem != NULL) {
            return elem->value;
        }
    }
    return MP_OBJ_NULL;
}
static MP_DEFINE_CONST_FUN_OBJ_1(host_getattr_obj, host_getattr);

// host.functions(): the names of the registered host functions.
static mp_obj_t host_functions(void) {
    mp_obj_t names = mp_obj_new_list(0, NULL);
    if (MP_STATE_VM(host_functions) != MP_OBJ_NULL) {
        mp_map_t *map = mp_obj_dict_get_map(MP_STATE_VM(host_functions));
        for (size_t i = 0; i < map->alloc; i++) {
            if (mp_map_slot_is_filled(map, i)) {
                mp_obj_list_append(names, map->table[i].key);
            }
        }
    }
    return names;
}
static MP_DEFINE_CONST_FUN_OBJ_0(host_functions_obj, host_functions);

static const mp_rom_map_elem_t mp_module_host_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_host) },
    { MP_ROM_QSTR(MP_QSTR___getattr__), MP_ROM_PTR(&host_getattr_obj) },
    { MP_ROM_QSTR(MP_QSTR_functions), MP_ROM_PTR(&host_functions_obj) },
};
static MP_DEFINE_CONST_DICT(mp_module_host_globals, mp_module_host_globals_table);

const mp_obj_module_t mp_module_host = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&mp_module_host_globals,
};

MP_REGISTER_MODULE(MP_QSTR_host, mp_module_host);
