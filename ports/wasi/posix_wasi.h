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
// - "/" and the directories above mount points: WASI has no root directory,
//   only the directories the host preopened (the mounts). Here "/" and every
//   directory on the way to a mount point ("/a" for a mount at "/a/b") are
//   read-only virtual directories that list the mount points below them, so
//   that os.listdir('/'), os.getcwd() and os.chdir('/') work as on Linux.
#ifndef MICROPY_INCLUDED_WASI_POSIX_WASI_H
#define MICROPY_INCLUDED_WASI_POSIX_WASI_H

// (MicroPython's configuration first: it defines _DIRENT_HAVE_D_TYPE, which
// libc's dirent.h then defines again, silently as a system header.)
#include "py/mperrno.h"
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <sys/stat.h>
#include <unistd.h>

int mpw_errno(void);
int mpw_chdir(const char *path);
char *mpw_getcwd(char *buf, size_t size);
int mpw_stat(const char *path, struct stat *st);

// A directory being listed: a real one, or a virtual one (see above).
typedef struct _mpw_dir_t mpw_dir_t;
mpw_dir_t *mpw_opendir(const char *path);
struct dirent *mpw_readdir(mpw_dir_t *dir);
int mpw_closedir(mpw_dir_t *dir);

#undef errno
#define errno (mpw_errno())
#undef EINTR
#define EINTR MP_EINTR
#undef EINVAL
#define EINVAL MP_EINVAL

// (vfs_posix.c takes chdir's address, so this is an object-like macro.)
#define chdir mpw_chdir
#define getcwd(buf, size) mpw_getcwd(buf, size)
#define stat(path, st) mpw_stat(path, st)
#define DIR mpw_dir_t
#define opendir mpw_opendir
#define readdir mpw_readdir
#define closedir mpw_closedir

#endif // MICROPY_INCLUDED_WASI_POSIX_WASI_H
