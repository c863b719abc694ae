// Forced include for the extmod sources that call libc's POSIX functions
// (vfs_posix.c, vfs_posix_file.c, modselect.c): libc behaves there as
// MicroPython's POSIX code expects it to on Linux.
//
// - errno: MicroPython's errno module uses Linux numbers
//   (MICROPY_USE_INTERNAL_ERRNO), while wasi-libc numbers its errors as WASI
//   does (ENOENT is 44, EROFS 69). Here `errno` reads libc's error translated
//   to MicroPython's numbering, and the E* constants these sources compare it
//   with use that numbering too, so that Python code sees
//   OSError(errno.ENOENT) and friends as on any other port.
// - chdir(), getcwd(): wasi-libc keeps the current directory as the path it
//   was given ("/a/b/.." stays so) and returns it even after the directory
//   was removed. Here chdir() stores a normalised absolute path ("/a"), and
//   getcwd() fails with ENOENT when the directory is gone, as on Linux.
#ifndef MICROPY_INCLUDED_WASI_POSIX_WASI_H
#define MICROPY_INCLUDED_WASI_POSIX_WASI_H

#include <errno.h>
#include <stddef.h>
#include <unistd.h>
#include "py/mperrno.h"

int mpw_errno(void);
int mpw_chdir(const char *path);
char *mpw_getcwd(char *buf, size_t size);

#undef errno
#define errno (mpw_errno())
#undef EINTR
#define EINTR MP_EINTR
#undef EINVAL
#define EINVAL MP_EINVAL

// (vfs_posix.c takes chdir's address, so this is an object-like macro.)
#define chdir mpw_chdir
#define getcwd(buf, size) mpw_getcwd(buf, size)

#endif // MICROPY_INCLUDED_WASI_POSIX_WASI_H
