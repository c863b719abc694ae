#ifndef MICROPY_INCLUDED_WASI_MPHALPORT_H
#define MICROPY_INCLUDED_WASI_MPHALPORT_H

#include <errno.h>
#include "py/obj.h"
#include "shared/runtime/interrupt_char.h"

int mp_hal_stdin_rx_chr(void);
mp_uint_t mp_hal_stdout_tx_strn(const char *str, size_t len);
void mp_hal_stdout_tx_strn_cooked(const char *str, size_t len);

void mp_hal_delay_ms(mp_uint_t ms);
void mp_hal_delay_us(mp_uint_t us);
mp_uint_t mp_hal_ticks_ms(void);
mp_uint_t mp_hal_ticks_us(void);
mp_uint_t mp_hal_ticks_cpu(void);
uint64_t mp_hal_time_ns(void);
void mp_hal_get_random(size_t n, void *buf);

// Soft timeout, set by the host for each execution (0: none).
void mp_hal_set_timeout(uint64_t timeout_ns);
// Whether the soft timeout raised its KeyboardInterrupt since mp_hal_set_timeout().
bool mp_hal_timeout_fired(void);

// input(): see mphalport.c.
#define mp_hal_readline mp_hal_readline
int mp_hal_readline(vstr_t *vstr, const char *prompt);
void mpw_console_set_interactive(bool interactive);

// The REPL's terminal mode switches, passed on to the host when it asked.
void mp_hal_stdio_mode_raw(void);
void mp_hal_stdio_mode_orig(void);
void mpw_console_set_mode_events(bool enable);

#define mp_hal_delay_us_fast(us) mp_hal_delay_us(us)

// Retry a system call on EINTR, running pending callbacks and exceptions (PEP 475).
#define MP_HAL_RETRY_SYSCALL(ret, syscall, raise) \
    { \
        for (;;) { \
            ret = syscall; \
            if (ret == -1) { \
                int err = errno; \
                if (err == EINTR) { \
                    mp_handle_pending(MP_HANDLE_PENDING_CALLBACKS_AND_EXCEPTIONS); \
                    continue; \
                } \
                raise; \
            } \
            break; \
        } \
    }

#endif // MICROPY_INCLUDED_WASI_MPHALPORT_H
