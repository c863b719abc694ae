/*
 * The entry point of a WASI command image (MICROPY_WASI_FORMAT=command).
 *
 * A command image runs under any WASI preview 1 runtime with exception
 * handling, the way the `micropython` binary runs on unix: main() takes the
 * same arguments, the console is WASI's stdin, stdout and stderr, files are
 * the runtime's preopened directories, and the exit status goes back through
 * proc_exit. It imports nothing but wasi_snapshot_preview1: there are no host
 * functions and no runner limits beyond what the runtime itself enforces.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "py/builtin.h"
#include "py/mperrno.h"
#include "py/mphal.h"
#include "py/runtime.h"
#include "py/repl.h"
#include "extmod/vfs.h"
#include "genhdr/mpversion.h"
#include "heap.h"
#include "hostif.h"
#include "interp.h"

// The GC heap starts this large and grows while linear memory in use stays
// within the heap limit: by default that of the Python runner's default
// memory_limit (64 MiB, less 1 MiB kept for libc); `-X heapsize=N` makes it
// N plus 1 MiB, as the runner's `-X heapsize=N` does.
#define INITIAL_HEAP (256 * 1024)
#define DEFAULT_HEAP_MAX (63 * 1024 * 1024)
#define HEAPSIZE_OVERHEAD (1024 * 1024)
#define MIN_HEAPSIZE (16 * 1024)

// What the unix `micropython` binary exits with on bad arguments.
#define EXIT_USAGE (2)

/******************************************************************************/
// The console over WASI file descriptors: what the reactor's host imports
// (hostif.h) do, here done by the guest itself.

void mpw_host_write(int32_t stream, const void *buf, size_t len) {
    if (stream != MPW_STREAM_STDOUT && stream != MPW_STREAM_STDERR) {
        return;  // (terminal mode switches: a WASI command cannot make its terminal raw)
    }
    const char *p = buf;
    while (len > 0) {
        ssize_t n = write(stream, p, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;  // a closed pipe: the output is lost, as on unix with SIGPIPE ignored
        }
        p += n;
        len -= n;
    }
}

int32_t mpw_host_read(void *buf, size_t len) {
    for (;;) {
        ssize_t n = read(STDIN_FILENO, buf, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        return n < 0 ? 0 : n;
    }
}

/******************************************************************************/
// Running code.

// Run one of the mpw_exec_* functions, reporting an uncaught exception as the
// `micropython` binary does: its traceback on stderr and exit status 1, or
// the status a SystemExit asks for.
typedef enum { RUN_SOURCE, RUN_REPL_LINE, RUN_FILE, RUN_MODULE } run_kind_t;

// run()'s status with this flag came from SystemExit: the REPL stops there.
#define RUN_EXIT_FLAG (0x100)

static int run(run_kind_t kind, const char *text, size_t len) {
    nlr_buf_t nlr;
    int status = 0;
    if (nlr_push(&nlr) == 0) {
        switch (kind) {
            case RUN_SOURCE:
                mpw_exec_source(text, len, MP_PARSE_FILE_INPUT);
                break;
            case RUN_REPL_LINE:
                mpw_exec_source(text, len, MP_PARSE_SINGLE_INPUT);
                break;
            case RUN_FILE:
                mpw_exec_file(text);
                break;
            case RUN_MODULE:
                mpw_exec_module(text);
                break;
        }
        mp_handle_pending(MP_HANDLE_PENDING_CALLBACKS_AND_EXCEPTIONS);
        nlr_pop();
    } else {
        mp_handle_pending(MP_HANDLE_PENDING_CALLBACKS_AND_CLEAR_EXCEPTIONS);
        mp_obj_t exc = MP_OBJ_FROM_PTR(nlr.ret_val);
        if (mpw_exit_status(exc, &status)) {
            status |= RUN_EXIT_FLAG;
        } else {
            // (Printing runs the exception's __repr__, which may raise again.)
            if (nlr_push(&nlr) == 0) {
                mp_obj_print_exception(&mp_stderr_print, exc);
                nlr_pop();
            }
            status = 1;
        }
    }
    mpw_console_flush();
    return status;
}

// A line of console input appended to vstr (without its newline), after
// printing the prompt. False at end of input with nothing read.
static bool read_line(vstr_t *vstr, const char *prompt) {
    mp_hal_stdout_tx_str(prompt);
    mpw_console_flush();
    size_t start = vstr->len;
    for (;;) {
        char c;
        if (mpw_host_read(&c, 1) != 1) {
            return vstr->len > start;
        }
        if (c == '\n') {
            return true;
        }
        vstr_add_byte(vstr, c);
    }
}

// A statement for the REPL into `line`: a line, and continuation lines while
// it is incomplete. False at end of input.
static bool read_statement(vstr_t *line) {
    do {
        if (!read_line(line, mp_repl_get_ps1())) {
            return false;
        }
    } while (line->len == 0);
    while (mp_repl_continue_with_input(vstr_null_terminated_str(line))) {
        vstr_add_byte(line, '\n');
        if (!read_line(line, mp_repl_get_ps2())) {
            break;
        }
    }
    return true;
}

// The REPL on a terminal. WASI has no way to switch a terminal to raw mode,
// so lines are read as the terminal's line discipline delivers them: it
// echoes and edits them (backspace, Ctrl-U, Ctrl-W); there is no history,
// no tab completion and no auto-indent. Ctrl-D ends the REPL.
static int do_repl(void) {
    mp_hal_stdout_tx_str(MICROPY_BANNER_NAME_AND_VERSION "; " MICROPY_BANNER_MACHINE "\n"
        "Type \"help()\" for more information.\n");
    vstr_t line;
    vstr_init(&line, 64);
    for (;;) {
        // As upstream's REPL: a heap the last statement left locked
        // (micropython.heap_lock()) is unlocked, or nothing more could run.
        MP_STATE_THREAD(gc_lock_depth) = 0;
        vstr_reset(&line);
        nlr_buf_t nlr;
        if (nlr_push(&nlr) == 0) {
            bool more = read_statement(&line);
            nlr_pop();
            if (!more) {
                mp_hal_stdout_tx_str("\n");
                break;
            }
        } else {
            // (Out of memory for a long line.)
            mp_obj_print_exception(&mp_stderr_print, MP_OBJ_FROM_PTR(nlr.ret_val));
            continue;
        }
        int status = run(RUN_REPL_LINE, line.buf, line.len);
        if (status & RUN_EXIT_FLAG) {
            vstr_clear(&line);
            return status;
        }
    }
    vstr_clear(&line);
    return 0;
}

// stdin that is not a terminal is a program, as with `micropython < FILE`.
static int run_stdin(void) {
    vstr_t src;
    vstr_init(&src, 1024);
    char buf[512];
    int32_t n;
    while ((n = mpw_host_read(buf, sizeof(buf))) > 0) {
        vstr_add_strn(&src, buf, n);
    }
    int status = run(RUN_SOURCE, src.buf, src.len);
    vstr_clear(&src);
    return status;
}

/******************************************************************************/
// Arguments, as the unix `micropython` binary takes them.

static void print_usage(const char *argv0) {
    mp_printf(&mp_plat_print,
        "usage: %s [<opts>] [-X <implopt>] [-c <command> | -m <module> | <filename>] [args...]\n"
        "Options:\n"
        "--version : show version information\n"
        "-h : print this help message\n"
        "-i : enable inspection via REPL after running command/module/file\n"
        "-v : verbose (trace various operations); can be multiple\n"
        "-O[N] : apply bytecode optimizations of level N\n"
        "\n"
        "Implementation specific options (-X):\n"
        "  compile-only                 -- parse and compile only\n"
        "  emit=bytecode                -- set the default code emitter\n"
        "  heapsize=<n>[w][K|M] -- set the heap size for the GC (default: up to %u)\n",
        argv0, (unsigned)DEFAULT_HEAP_MAX);
}

static int invalid_args(void) {
    mp_printf(&mp_stderr_print, "Invalid command line arguments. Use -h option for help.\n");
    mpw_console_flush();
    return EXIT_USAGE;
}

// -X heapsize=<n>[w][K|M]; 0 if malformed or too small.
static size_t parse_heapsize(const char *arg) {
    char *end;
    unsigned long size = strtoul(arg, &end, 0);
    if ((*end | 0x20) == 'w') {
        size = size * MP_BYTES_PER_OBJ_WORD / 4;
        end++;
    }
    if ((*end | 0x20) == 'k') {
        size *= 1024;
        end++;
    } else if ((*end | 0x20) == 'm') {
        size *= 1024 * 1024;
        end++;
    }
    if (*end != '\0' || end == arg || size < MIN_HEAPSIZE || size > SIZE_MAX - HEAPSIZE_OVERHEAD) {
        return 0;
    }
    return size;
}

// Options that must be known before the interpreter starts; returns -1 to
// go on, or an exit status.
static int pre_process_options(int argc, char **argv, size_t *heap_max) {
    for (int a = 1; a < argc && argv[a][0] == '-'; a++) {
        const char *arg = argv[a];
        if (strcmp(arg, "-c") == 0 || strcmp(arg, "-m") == 0) {
            break;  // what follows belongs to the command or module
        }
        if (strcmp(arg, "-h") == 0) {
            print_usage(argv[0]);
            mpw_console_flush();
            return 0;
        }
        if (strcmp(arg, "--version") == 0) {
            mp_hal_stdout_tx_str(MICROPY_BANNER_NAME_AND_VERSION "; " MICROPY_BANNER_MACHINE "\n");
            mpw_console_flush();
            return 0;
        }
        if (strcmp(arg, "-X") == 0) {
            if (a + 1 >= argc) {
                return invalid_args();
            }
            const char *opt = argv[++a];
            if (strcmp(opt, "compile-only") == 0) {
                mpw_compile_only = true;
            } else if (strcmp(opt, "emit=bytecode") == 0) {
                // the only emitter a wasm image has
            } else if (strncmp(opt, "heapsize=", 9) == 0) {
                size_t size = parse_heapsize(opt + 9);
                if (size == 0) {
                    return invalid_args();
                }
                *heap_max = size + HEAPSIZE_OVERHEAD;
            } else {
                return invalid_args();
            }
        }
    }
    return -1;
}

static void set_sys_argv(char **argv, int argc, int start) {
    for (int i = start; i < argc; i++) {
        mp_obj_list_append(mp_sys_argv, mp_obj_new_str_from_cstr(argv[i]));
    }
}

// The options, then what to run; the exit status.
static int run_arguments(int argc, char **argv) {
    enum { NOTHING_EXECUTED = -1 };
    int status = NOTHING_EXECUTED;
    bool inspect = false;
    for (int a = 1; a < argc; a++) {
        const char *arg = argv[a];
        if (arg[0] != '-') {
            if (mp_import_stat(arg) != MP_IMPORT_STAT_FILE) {
                // (As the unix binary, and CPython, which exit with 2.)
                mp_printf(&mp_stderr_print, "%s: can't open file '%s': [Errno %d] %s\n", argv[0], arg,
                    MP_ENOENT, "No such file or directory");
                mpw_console_flush();
                return EXIT_USAGE;
            }
            set_sys_argv(argv, argc, a);
            status = run(RUN_FILE, arg, strlen(arg));
            break;
        } else if (strcmp(arg, "-i") == 0) {
            inspect = true;
        } else if (strcmp(arg, "-c") == 0) {
            if (a + 1 >= argc) {
                return invalid_args();
            }
            // "-c" is sys.argv[0], as in CPython.
            mp_obj_list_append(mp_sys_argv, MP_OBJ_NEW_QSTR(qstr_from_str("-c")));
            set_sys_argv(argv, argc, a + 2);
            status = run(RUN_SOURCE, argv[a + 1], strlen(argv[a + 1]));
            break;
        } else if (strcmp(arg, "-m") == 0) {
            if (a + 1 >= argc) {
                return invalid_args();
            }
            set_sys_argv(argv, argc, a + 1);
            status = run(RUN_MODULE, argv[a + 1], strlen(argv[a + 1]));
            break;
        } else if (strcmp(arg, "-X") == 0) {
            a++;  // (taken by pre_process_options)
        } else if (strcmp(arg, "-v") == 0) {
            #if MICROPY_DEBUG_PRINTERS
            mp_verbose_flag++;
            #endif
        } else if (strncmp(arg, "-O", 2) == 0) {
            if (unichar_isdigit(arg[2])) {
                MP_STATE_VM(mp_optimise_value) = arg[2] & 0xf;
            } else {
                MP_STATE_VM(mp_optimise_value) = 0;
                for (const char *p = arg + 1; *p == 'O'; p++) {
                    MP_STATE_VM(mp_optimise_value)++;
                }
            }
        } else {
            return invalid_args();
        }
    }
    if (status == NOTHING_EXECUTED || (inspect && !(status & RUN_EXIT_FLAG))) {
        if (isatty(STDIN_FILENO) || inspect) {
            status = do_repl();
        } else {
            status = run_stdin();
        }
    }
    return status & 0xff;
}

// The environment, where the runtime passes it (`wasmtime run --env NAME`):
// MICROPYPATH replaces sys.path after its first entry, as on unix; PWD is
// the directory to start in (WASI has no current directory of its own: it
// is "/" otherwise), if a preopened directory holds it.
static void apply_environment(void) {
    nlr_buf_t nlr;
    if (nlr_push(&nlr) == 0) {
        const char *path = getenv("MICROPYPATH");
        if (path != NULL) {
            mp_obj_list_t *sys_path = MP_OBJ_TO_PTR(mp_sys_path);
            sys_path->len = 1;
            while (*path != '\0') {
                const char *end = strchr(path, ':');
                size_t len = end != NULL ? (size_t)(end - path) : strlen(path);
                if (len > 0) {
                    mp_obj_list_append(mp_sys_path, mp_obj_new_str(path, len));
                }
                path += len + (end != NULL);
            }
        }
        const char *pwd = getenv("PWD");
        if (pwd != NULL && pwd[0] == '/') {
            mp_vfs_chdir(mp_obj_new_str_from_cstr(pwd));
        }
        nlr_pop();
    }
}

int main(int argc, char **argv) {
    MPW_ENTER();
    size_t heap_max = DEFAULT_HEAP_MAX;
    int status = pre_process_options(argc, argv, &heap_max);
    if (status >= 0) {
        return status;
    }
    size_t heap_size = INITIAL_HEAP < heap_max - HEAPSIZE_OVERHEAD ? INITIAL_HEAP : heap_max - HEAPSIZE_OVERHEAD;
    if (!mpw_heap_init(heap_size, heap_max)) {
        mp_printf(&mp_stderr_print, "%s: cannot allocate the GC heap\n", argv[0]);
        mpw_console_flush();
        return 1;
    }
    mpw_interp_init();
    apply_environment();
    status = run_arguments(argc, argv);
    mpw_interp_deinit();
    return status;
}
