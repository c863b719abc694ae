// Options to control how MicroPython is built for the WASI port, overriding
// defaults in py/mpconfig.h. Feature selection lives in the variant's
// mpconfigvariant.h; this file describes the platform: wasm32 under a WASI
// host that embeds the interpreter and owns all input and output.

#include <stddef.h>
#include <stdint.h>
#include <alloca.h>

// Variant-specific definitions.
#include "mpconfigvariant.h"

#ifndef MICROPY_CONFIG_ROM_LEVEL
#define MICROPY_CONFIG_ROM_LEVEL (MICROPY_CONFIG_ROM_LEVEL_EXTRA_FEATURES)
#endif

// Platform: 32-bit wasm, setjmp/longjmp lowered to wasm exceptions.
#define MICROPY_NLR_SETJMP                  (1)
#define MICROPY_ENABLE_GC                   (1)
#define MICROPY_GC_SPLIT_HEAP               (1)
#define MICROPY_GC_SPLIT_HEAP_AUTO          (1)
// (main.c's heap-area workaround relies on weakrefs being off.)
#define MICROPY_PY_WEAKREF                  (0)
#define MP_PLAT_ALLOC_HEAP(size)            mpw_alloc_heap(size)
#define MP_PLAT_HEAP_LIMIT_REACHED()        mpw_memory_limit_reached()
#define MP_PLAT_FREE_HEAP(ptr)              mpw_free_heap(ptr)
#define MICROPY_ENABLE_FINALISER            (1)
#define MICROPY_STACK_CHECK                 (1)
#define MICROPY_STACK_CHECK_MARGIN          (1024)
#define MICROPY_KBD_EXCEPTION               (1)
#define MICROPY_ENABLE_EMERGENCY_EXCEPTION_BUF (1)
#define MICROPY_EMERGENCY_EXCEPTION_BUF_SIZE (256)
#define MICROPY_MALLOC_USES_ALLOCATED_SIZE  (1)
#define MICROPY_MEM_STATS                   (1)
#define MICROPY_USE_INTERNAL_PRINTF         (0)
#define MICROPY_USE_INTERNAL_ERRNO          (1)
#define MICROPY_ALLOC_PATH_MAX              (256)
#define MICROPY_ERROR_PRINTER               (&mp_stderr_print)
#define MICROPY_DEBUG_PRINTER               (&mp_stderr_print)
// `micropython-wasi -v -v` prints bytecode, as `micropython -v -v` does.
#define MICROPY_DEBUG_PRINTERS              (1)
#define MICROPY_HELPER_REPL                 (1)
// The REPL edits lines as the unix port's does, and tells the host when to
// switch its terminal between raw and original mode (see mphalport.c).
#define MICROPY_REPL_EMACS_WORDS_MOVE       (1)
#define MICROPY_REPL_EMACS_EXTRA_WORDS_MOVE (1)
#define MICROPY_HAL_HAS_STDIO_MODE_SWITCH   (1)
#define MICROPY_PYEXEC_ENABLE_EXIT_CODE_HANDLING (1)
#define MICROPY_MODULE_OVERRIDE_MAIN_IMPORT (1)
#define MICROPY_PERSISTENT_CODE_LOAD        (1)
#define MICROPY_OPT_COMPUTED_GOTO           (1)

// No native code generation: wasm cannot execute code it writes to memory.
#define MICROPY_EMIT_X64                    (0)
#define MICROPY_EMIT_X86                    (0)
#define MICROPY_EMIT_THUMB                  (0)
#define MICROPY_EMIT_ARM                    (0)
#define MICROPY_EMIT_RV32                   (0)
#define MICROPY_EMIT_INLINE_THUMB           (0)

// Filesystem: WASI preopens seen through the POSIX VFS mounted at "/".
#define MICROPY_VFS                         (1)
#define MICROPY_VFS_POSIX                   (1)
#define MICROPY_READER_VFS                  (1)
#define MICROPY_EPOCH_IS_1970               (1)
// FAT volumes, in variants that have them (MICROPY_WASI_FILESYSTEMS), as the
// unix port's; no vfs.rom_ioctl (there is no ROM to find ROMFS images in).
#define MICROPY_FATFS_ENABLE_LFN            (1)
#define MICROPY_FATFS_RPATH                 (2)
#define MICROPY_FATFS_MAX_SS                (4096)
#define MICROPY_FATFS_LFN_CODE_PAGE         437
#define MICROPY_VFS_ROM_IOCTL               (0)
#define MICROPY_TIMESTAMP_IMPL              (MICROPY_TIMESTAMP_IMPL_TIME_T)
#define _DIRENT_HAVE_D_TYPE                 (1)
#define _DIRENT_HAVE_D_INO                  (1)

// Nothing outside the sandbox: no threads, sockets, select, ffi or hardware.
#define MICROPY_PY_THREAD                   (0)
#define MICROPY_PY_SOCKET                   (0)
#define MICROPY_PY_NETWORK                  (0)
#define MICROPY_PY_SELECT                   (0)
#define MICROPY_PY_MACHINE                  (0)
#define MICROPY_PY_BLUETOOTH                (0)
#define MICROPY_PY_WEBSOCKET                (0)
#define MICROPY_PY_WEBREPL                  (0)
#define MICROPY_PY_OS_DUPTERM               (0)
#define MICROPY_PY_OS_SYSTEM                (0)
#define MICROPY_PY_OS_GETENV_PUTENV_UNSETENV (0)

// Port services.
#define MICROPY_PY_SYS_PLATFORM             "wasi"
#define MICROPY_PY_SYS_PATH_ARGV_DEFAULTS   (0)
#define MICROPY_PY_SYS_EXC_INFO             (1)
#define MICROPY_PY_SYS_ATEXIT               (1)
#define MICROPY_PY_OS_URANDOM               (1)
// WASI has no statvfs (wasi-libc's fails with ENOSYS).
#define MICROPY_PY_OS_STATVFS               (0)
#define MICROPY_PY_RANDOM_SEED_INIT_FUNC    (mp_hal_random_u32())
#define MICROPY_PY_TIME_GMTIME_LOCALTIME_MKTIME (1)
#define MICROPY_PY_TIME_TIME_TIME_NS        (1)
#define MICROPY_PY_TIME_INCLUDEFILE         "modtime_wasi.c"

// Soft timeout: every few hundred backward jumps and returns the VM asks the
// port whether the host's deadline has passed (see mphalport.c).
#define MICROPY_VM_HOOK_COUNT (256)
#define MICROPY_VM_HOOK_INIT static unsigned int vm_hook_divisor = MICROPY_VM_HOOK_COUNT;
#define MICROPY_VM_HOOK_POLL if (--vm_hook_divisor == 0) { \
        vm_hook_divisor = MICROPY_VM_HOOK_COUNT; \
        mp_hal_check_deadline(); \
}
#define MICROPY_VM_HOOK_LOOP MICROPY_VM_HOOK_POLL
#define MICROPY_VM_HOOK_RETURN MICROPY_VM_HOOK_POLL
// C code that polls for events (mp_event_handle_nowait(): select.poll, long
// loops in user C modules) sees the deadline too, and waiting for an event
// sleeps in short slices (mp_hal_delay_ms checks the deadline as it sleeps).
#define MICROPY_INTERNAL_EVENT_HOOK mp_hal_check_deadline()
#define MICROPY_INTERNAL_WFE(TIMEOUT_MS) \
    mp_hal_delay_ms((TIMEOUT_MS) < 0 || (TIMEOUT_MS) > 10 ? 10 : (TIMEOUT_MS))

// Type definitions for the specific machine.
#define MP_SSIZE_MAX (0x7fffffff)
typedef long mp_off_t;

#define MICROPY_HW_BOARD_NAME "WASI"
#define MICROPY_HW_MCU_NAME "wasm32"
// The REPL banner and sys.implementation._machine read as the unix port's:
// "wasi [Clang x.y.z] version".
#define MICROPY_BANNER_MACHINE MICROPY_PY_SYS_PLATFORM " [Clang " MP_STRINGIFY(__clang_major__) "." \
    MP_STRINGIFY(__clang_minor__) "." MP_STRINGIFY(__clang_patchlevel__) "] version"

#define MP_STATE_PORT MP_STATE_VM

extern const struct _mp_print_t mp_stderr_print;
uint32_t mp_hal_random_u32(void);
void *mpw_alloc_heap(size_t size);
void mpw_memory_limit_reached(void);
void mpw_free_heap(void *ptr);
void mp_hal_check_deadline(void);

// The image's optional built-in modules, each switched on or off: generated
// by the build from the variant's list and the modules added or removed
// (tools/image_config.py).
#include "mpconfigmodules.h"
