/*
 * editdistance: Levenshtein edit distance in C, an example user C module for
 * micropython-wasi images (micropython-wasi build --c-module examples/editdistance).
 *
 *     >>> import editdistance
 *     >>> editdistance.distance("kitten", "sitting")
 *     3
 *
 * distance(a, b) counts the single-character insertions, deletions and
 * substitutions that turn a into b: characters (code points) of two strs, or
 * bytes of two bytes-like objects.
 */

#include <string.h>

#include "py/runtime.h"
#include "py/unicode.h"

// The characters of a str or the bytes of a bytes-like object, as an array of
// code units on the GC heap (freed by the caller). Raises TypeError otherwise.
static uint32_t *get_units(mp_obj_t obj, bool want_str, size_t *len_out) {
    const byte *data;
    size_t len;
    if (want_str) {
        data = (const byte *)mp_obj_str_get_data(obj, &len);
    } else {
        mp_buffer_info_t buf;
        mp_get_buffer_raise(obj, &buf, MP_BUFFER_READ);
        data = buf.buf;
        len = buf.len;
    }
    #if MICROPY_PY_BUILTINS_STR_UNICODE
    size_t n = want_str ? utf8_charlen(data, len) : len;
    #else
    size_t n = len;
    #endif
    uint32_t *units = m_new(uint32_t, n + 1);
    const byte *p = data;
    for (size_t i = 0; i < n; i++) {
        #if MICROPY_PY_BUILTINS_STR_UNICODE
        if (want_str) {
            units[i] = utf8_get_char(p);
            p = utf8_next_char(p);
            continue;
        }
        #endif
        units[i] = *p++;
    }
    *len_out = n;
    return units;
}

static mp_obj_t editdistance_distance(mp_obj_t a_in, mp_obj_t b_in) {
    bool a_str = mp_obj_is_str(a_in);
    bool b_str = mp_obj_is_str(b_in);
    if (a_str != b_str) {
        mp_raise_TypeError(MP_ERROR_TEXT("distance() needs two strs or two bytes-like objects"));
    }
    size_t la, lb;
    uint32_t *a = get_units(a_in, a_str, &la);
    uint32_t *b = get_units(b_in, b_str, &lb);

    // Two rows of the dynamic-programming table: row[j] is the distance
    // between the first i units of a and the first j units of b.
    size_t *prev = m_new(size_t, lb + 1);
    size_t *row = m_new(size_t, lb + 1);
    for (size_t j = 0; j <= lb; j++) {
        prev[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        // A long computation lets the interpreter raise what is pending,
        // such as the KeyboardInterrupt of a run's timeout.
        if ((i & 63) == 0) {
            mp_event_handle_nowait();
        }
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = prev[j - 1] + cost;
            if (prev[j] + 1 < best) {
                best = prev[j] + 1;
            }
            if (row[j - 1] + 1 < best) {
                best = row[j - 1] + 1;
            }
            row[j] = best;
        }
        size_t *tmp = prev;
        prev = row;
        row = tmp;
    }
    mp_obj_t result = mp_obj_new_int_from_uint(prev[lb]);
    m_del(size_t, prev, lb + 1);
    m_del(size_t, row, lb + 1);
    m_del(uint32_t, a, la + 1);
    m_del(uint32_t, b, lb + 1);
    return result;
}
static MP_DEFINE_CONST_FUN_OBJ_2(editdistance_distance_obj, editdistance_distance);

static const mp_rom_map_elem_t editdistance_module_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR_editdistance) },
    { MP_ROM_QSTR(MP_QSTR_distance), MP_ROM_PTR(&editdistance_distance_obj) },
};
static MP_DEFINE_CONST_DICT(editdistance_module_globals, editdistance_module_globals_table);

const mp_obj_module_t editdistance_user_cmodule = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&editdistance_module_globals,
};

MP_REGISTER_MODULE(MP_QSTR_editdistance, editdistance_user_cmodule);
