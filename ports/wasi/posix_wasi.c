/*
 * libc as MicroPython's POSIX code expects it on Linux (see posix_wasi.h).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "py/mperrno.h"

// wasi-libc's error numbers and their Linux equivalents, which MicroPython's
// errno module uses. Those MicroPython names are given as MP_E* constants;
// the rest are Linux's numbers.
static const struct {
    unsigned char wasi;
    unsigned char mp;
} errno_map[] = {
    {E2BIG, MP_E2BIG},
    {EACCES, MP_EACCES},
    {EADDRINUSE, MP_EADDRINUSE},
    {EADDRNOTAVAIL, 99},
    {EAFNOSUPPORT, MP_EAFNOSUPPORT},
    {EAGAIN, MP_EAGAIN},
    {EALREADY, MP_EALREADY},
    {EBADF, MP_EBADF},
    {EBADMSG, 74},
    {EBUSY, MP_EBUSY},
    {ECANCELED, MP_ECANCELED},
    {ECHILD, MP_ECHILD},
    {ECONNABORTED, MP_ECONNABORTED},
    {ECONNREFUSED, MP_ECONNREFUSED},
    {ECONNRESET, MP_ECONNRESET},
    {EDEADLK, 35},
    {EDESTADDRREQ, 89},
    {EDOM, MP_EDOM},
    {EDQUOT, 122},
    {EEXIST, MP_EEXIST},
    {EFAULT, MP_EFAULT},
    {EFBIG, MP_EFBIG},
    {EHOSTUNREACH, MP_EHOSTUNREACH},
    {EIDRM, 43},
    {EILSEQ, 84},
    {EINPROGRESS, MP_EINPROGRESS},
    {EINTR, MP_EINTR},
    {EINVAL, MP_EINVAL},
    {EIO, MP_EIO},
    {EISCONN, MP_EISCONN},
    {EISDIR, MP_EISDIR},
    {ELOOP, 40},
    {EMFILE, MP_EMFILE},
    {EMLINK, MP_EMLINK},
    {EMSGSIZE, 90},
    {EMULTIHOP, 72},
    {ENAMETOOLONG, 36},
    {ENETDOWN, 100},
    {ENETRESET, 102},
    {ENETUNREACH, 101},
    {ENFILE, MP_ENFILE},
    {ENOBUFS, MP_ENOBUFS},
    {ENODEV, MP_ENODEV},
    {ENOENT, MP_ENOENT},
    {ENOEXEC, MP_ENOEXEC},
    {ENOLCK, 37},
    {ENOLINK, 67},
    {ENOMEM, MP_ENOMEM},
    {ENOMSG, 42},
    {ENOPROTOOPT, 92},
    {ENOSPC, MP_ENOSPC},
    {ENOSYS, 38},
    {ENOTCONN, MP_ENOTCONN},
    {ENOTDIR, MP_ENOTDIR},
    {ENOTEMPTY, 39},
    {ENOTRECOVERABLE, 131},
    {ENOTSOCK, 88},
    {ENOTSUP, MP_EOPNOTSUPP},
    {ENOTTY, MP_ENOTTY},
    {ENXIO, MP_ENXIO},
    {EOVERFLOW, 75},
    {EOWNERDEAD, 130},
    {EPERM, MP_EPERM},
    {EPIPE, MP_EPIPE},
    {EPROTO, 71},
    {EPROTONOSUPPORT, 93},
    {EPROTOTYPE, 91},
    {ERANGE, MP_ERANGE},
    {EROFS, MP_EROFS},
    {ESPIPE, MP_ESPIPE},
    {ESRCH, MP_ESRCH},
    {ESTALE, 116},
    {ETIMEDOUT, MP_ETIMEDOUT},
    {ETXTBSY, MP_ETXTBSY},
    {EXDEV, MP_EXDEV},
    // A path outside every directory the host granted: as Linux reports a
    // path it may not reach.
    {ENOTCAPABLE, MP_EACCES},
};

int mpw_errno_from_libc(int err) {
    for (size_t i = 0; i < sizeof(errno_map) / sizeof(errno_map[0]); ++i) {
        if (errno_map[i].wasi == err) {
            return errno_map[i].mp;
        }
    }
    return err;
}

int mpw_errno(void) {
    return mpw_errno_from_libc(errno);
}

// `path` made absolute (from the current directory) and normalised without
// looking at the filesystem: no ".", ".." or repeated "/". Returns a
// malloc'd string, or NULL with errno set.
static char *normalised_path(const char *path) {
    char *cwd = NULL;
    if (path[0] != '/') {
        cwd = getcwd(NULL, 0);
        if (cwd == NULL) {
            return NULL;
        }
    }
    size_t cwd_len = cwd != NULL ? strlen(cwd) : 0;
    char *joined = malloc(cwd_len + 1 + strlen(path) + 1);
    if (joined == NULL) {
        free(cwd);
        errno = ENOMEM;
        return NULL;
    }
    if (cwd != NULL) {
        memcpy(joined, cwd, cwd_len);
        joined[cwd_len++] = '/';
        free(cwd);
    }
    strcpy(joined + cwd_len, path);

    // Rewrite in place: `out` never overtakes `in`.
    char *out = joined;
    const char *in = joined;
    while (*in != '\0') {
        while (*in == '/') {
            ++in;
        }
        const char *end = in;
        while (*end != '\0' && *end != '/') {
            ++end;
        }
        size_t len = end - in;
        if (len == 0 || (len == 1 && in[0] == '.')) {
            // nothing to add
        } else if (len == 2 && in[0] == '.' && in[1] == '.') {
            while (out > joined && *--out != '/') {
            }
        } else {
            *out++ = '/';
            memmove(out, in, len);
            out += len;
        }
        in = end;
    }
    if (out == joined) {
        *out++ = '/';
    }
    *out = '\0';
    return joined;
}

int mpw_chdir(const char *path) {
    char *abs_path = normalised_path(path);
    if (abs_path == NULL) {
        return -1;
    }
    int ret = chdir(abs_path);
    free(abs_path);
    return ret;
}

char *mpw_getcwd(char *buf, size_t size) {
    char *cwd = getcwd(buf, size);
    struct stat st;
    if (cwd != NULL && stat(".", &st) != 0) {
        // The directory is gone (stat set errno, to ENOENT).
        return NULL;
    }
    return cwd;
}
