/*
 * Hardware abstraction for the WASI port: console I/O to the host, clocks,
 * randomness and the soft timeout.
 */

#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "py/mphal.h"
#include "py/mperrno.h"
#include "py/mpprint.h"
#include "py/runtime.h"
#include "shared/readline/readline.h"
#include "hostif.h"
#include "mpw_abi.h"

/******************************************************************************/
// Console output.
//
// Output is buffered in the guest and handed to the host in large pieces, so
// that a print-heavy program does not cross into the host for every line. The
// buffer holds one stream at a time; switching stream flushes it, so the host
// sees stdout and stderr in the order they were written.

// When the host stops a program (a wasm trap), it reads what is still in the
// buffer from here: see mpw_console_state and mpw_abi.h.
static mpw_console_state_t console = {MPW_STREAM_STDOUT, 0, {0}};

MPW_EXPORT(mpw_console_state) void *mpw_console_state(void) {
    return &console;
}

// Output waits in the buffer at most this long while a program runs (the VM
// hook and sleeps flush it, see mpw_console_poll), so that the output of a
// long-running program appears as it goes.
#define CONSOLE_FLUSH_DELAY_NS (20000000ULL)
static uint64_t console_since;  // when the oldest byte in the buffer was written

static uint64_t monotonic_ns(void);

void mpw_console_flush(void) {
    if (console.len > 0) {
        size_t len = console.len;
        console.len = 0;
        mpw_host_write(console.stream, console.buf, len);
    }
}

void mpw_console_write(int stream, const char *str, size_t len) {
    if (stream != console.stream) {
        mpw_console_flush();
        console.stream = stream;
    }
    if (len >= MPW_CONSOLE_BUF_SIZE) {
        mpw_console_flush();
        mpw_host_write(stream, str, len);
        return;
    }
    if (console.len + len > MPW_CONSOLE_BUF_SIZE) {
        mpw_console_flush();
    }
    if (console.len == 0) {
        console_since = monotonic_ns();
    }
    memcpy(console.buf + console.len, str, len);
    console.len += len;
}

static void mpw_console_poll(void) {
    if (console.len > 0 && monotonic_ns() - console_since >= CONSOLE_FLUSH_DELAY_NS) {
        mpw_console_flush();
    }
}

mp_uint_t mp_hal_stdout_tx_strn(const char *str, size_t len) {
    mpw_console_write(MPW_STREAM_STDOUT, str, len);
    return len;
}

void mp_hal_stdout_tx_str(const char *str) {
    mpw_console_write(MPW_STREAM_STDOUT, str, strlen(str));
}

void mp_hal_stdout_tx_strn_cooked(const char *str, size_t len) {
    mpw_console_write(MPW_STREAM_STDOUT, str, len);
}

static void stderr_print_strn(void *env, const char *str, size_t len) {
    (void)env;
    mpw_console_write(MPW_STREAM_STDERR, str, len);
}

const mp_print_t mp_stderr_print = {NULL, stderr_print_strn};

// sys.stdin, sys.stdout and sys.stderr are POSIX file objects on fds 0-2
// (extmod/vfs_posix_file.c, compiled with vfs_posix_console.h so that it calls
// these): the console fds reach the host through the console buffer instead
// of WASI; every other fd goes to libc unchanged.
ssize_t mpw_posix_write(int fd, const void *buf, size_t count) {
    if (fd == STDOUT_FILENO || fd == STDERR_FILENO) {
        mpw_console_write(fd, buf, count);
        return count;
    }
    return write(fd, buf, count);
}

ssize_t mpw_posix_read(int fd, void *buf, size_t count) {
    if (fd == STDIN_FILENO) {
        mpw_console_flush();
        return mpw_host_read(buf, count);
    }
    return read(fd, buf, count);
}

int mpw_posix_fsync(int fd) {
    if (fd >= STDIN_FILENO && fd <= STDERR_FILENO) {
        mpw_console_flush();
        return 0;
    }
    return fsync(fd);
}

/******************************************************************************/
// Console input.

// In the REPL the host's terminal is raw, and input() uses MicroPython's line
// editor, which echoes. Otherwise console input is a pipe or a file, or a
// terminal that echoes by itself: input() reads a plain line.
static bool console_interactive;

int mp_hal_stdin_rx_chr(void) {
    unsigned char c;
    if (mpw_posix_read(STDIN_FILENO, &c, 1) != 1) {
        // End of input reads as Ctrl-D, which ends the REPL.
        return CHAR_CTRL_D;
    }
    if (c == '\n' && console_interactive) {
        // A raw terminal passes Enter as LF; the line editor and paste mode
        // expect CR (the unix port converts likewise).
        c = '\r';
    }
    return c;
}

void mpw_console_set_interactive(bool interactive) {
    console_interactive = interactive;
}

// The REPL switches the terminal to raw mode while it reads a line and back
// while it runs the line (pyexec.c). A host that runs the REPL on a real
// terminal asks to be told (mpw_set_option), to do what the unix port does.
static bool console_mode_events;

void mpw_console_set_mode_events(bool enable) {
    console_mode_events = enable;
}

static void console_mode(char mode) {
    if (console_mode_events) {
        // (Before the output still buffered, which then reaches the terminal
        // after the switch: whoever waits for that output to type the next
        // line does not lose it to the switch's dropping of unread input.)
        mpw_host_write(MPW_STREAM_CONSOLE_MODE, &mode, 1);
    }
}

void mp_hal_stdio_mode_raw(void) {
    console_mode('r');
}

void mp_hal_stdio_mode_orig(void) {
    console_mode('o');
}

int mp_hal_readline(vstr_t *vstr, const char *prompt) {
    if (console_interactive) {
        // As the unix port's input(): the line editor reads a raw terminal.
        mp_hal_stdio_mode_raw();
        int ret = readline(vstr, prompt);
        mp_hal_stdio_mode_orig();
        return ret;
    }
    mp_hal_stdout_tx_str(prompt);
    for (;;) {
        int c = mp_hal_stdin_rx_chr();
        if (c == CHAR_CTRL_D) {
            return vstr->len == 0 ? CHAR_CTRL_D : 0;
        }
        if (c == '\n') {
            return 0;
        }
        vstr_add_byte(vstr, c);
    }
}


/******************************************************************************/
// Time.

static uint64_t monotonic_ns(void) {
    __wasi_timestamp_t t = 0;
    (void)__wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1000, &t);
    return t;
}

uint64_t mp_hal_time_ns(void) {
    __wasi_timestamp_t t = 0;
    (void)__wasi_clock_time_get(__WASI_CLOCKID_REALTIME, 1000, &t);
    return t;
}

mp_uint_t mp_hal_ticks_ms(void) {
    return monotonic_ns() / 1000000;
}

mp_uint_t mp_hal_ticks_us(void) {
    return monotonic_ns() / 1000;
}

mp_uint_t mp_hal_ticks_cpu(void) {
    return monotonic_ns();
}

// Sleep in short slices so that a pending exception (the soft timeout's
// KeyboardInterrupt) and the host's hard limit are seen promptly.
#define SLEEP_SLICE_NS (10000000ULL)

static void sleep_ns(uint64_t ns) {
    uint64_t end = monotonic_ns() + ns;
    for (;;) {
        mp_hal_check_deadline();
        mp_handle_pending(MP_HANDLE_PENDING_CALLBACKS_AND_EXCEPTIONS);
        uint64_t now = monotonic_ns();
        if (now >= end) {
            return;
        }
        mpw_console_flush();
        uint64_t slice = end - now < SLEEP_SLICE_NS ? end - now : SLEEP_SLICE_NS;
        struct timespec ts = {.tv_sec = slice / 1000000000ULL, .tv_nsec = slice % 1000000000ULL};
        nanosleep(&ts, NULL);
    }
}

void mp_hal_delay_ms(mp_uint_t ms) {
    sleep_ns((uint64_t)ms * 1000000ULL);
}

void mp_hal_delay_us(mp_uint_t us) {
    sleep_ns((uint64_t)us * 1000ULL);
}

/******************************************************************************/
// Soft timeout.

static uint64_t deadline_ns;
static bool timeout_fired;

// The host sets this word (from any thread) to interrupt the running program
// with KeyboardInterrupt, like Ctrl-C does for the `micropython` binary.
static volatile uint32_t interrupt_request;

MPW_EXPORT(mpw_interrupt_flag) volatile uint32_t *mpw_interrupt_flag(void) {
    return &interrupt_request;
}

void mp_hal_set_timeout(uint64_t timeout_ns) {
    deadline_ns = timeout_ns ? monotonic_ns() + timeout_ns : 0;
    interrupt_request = 0;
    timeout_fired = false;
}

bool mp_hal_timeout_fired(void) {
    return timeout_fired;
}

void mp_hal_check_deadline(void) {
    mpw_console_poll();
    if (interrupt_request != 0) {
        interrupt_request = 0;
        mp_sched_keyboard_interrupt();
    }
    if (deadline_ns != 0 && monotonic_ns() >= deadline_ns) {
        // Fire once; the host's hard limit covers a program that ignores it.
        deadline_ns = 0;
        timeout_fired = true;
        mp_sched_keyboard_interrupt();
    }
}

/******************************************************************************/
// Randomness, from WASI random_get: no device files needed.

void mp_hal_get_random(size_t n, void *buf) {
    if (__wasi_random_get(buf, n) != 0) {
        // The host grants no randomness: fail loudly rather than return zeros.
        mp_raise_OSError(MP_EIO);
    }
}

uint32_t mp_hal_random_u32(void) {
    uint32_t r;
    mp_hal_get_random(sizeof(r), &r);
    return r;
}
