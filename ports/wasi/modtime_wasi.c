// Port part of the time module, included by extmod/modtime.c
// (MICROPY_PY_TIME_INCLUDEFILE).

#include <time.h>

#include "py/mphal.h"
#include "py/obj.h"
#include "shared/timeutils/timeutils.h"

// Return the local time as a struct_time-like tuple. WASI has no time zone: UTC.
static void mp_time_localtime_get(timeutils_struct_time_t *tm) {
    timeutils_seconds_since_epoch_to_struct_time(mp_hal_time_ns() / 1000000000ULL, tm);
}

// Return the number of seconds since the Epoch, as a float.
static mp_obj_t mp_time_time_get(void) {
    return mp_obj_new_float((mp_float_t)mp_hal_time_ns() / 1e9);
}
