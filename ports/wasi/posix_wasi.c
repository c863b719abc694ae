/*
 * libc as MicroPython's POSIX code expects it on Linux (see posix_wasi.h).
 */

#include "py/mperrno.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

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

// -- virtual directories: "/" and those above mount points --

// The names of the entries that the virtual directory `dir` (normalised,
// absolute) lists, each NUL-terminated, then an empty name; in a malloc'd
// block. NULL when `dir` is not virtual: some mount holds it, or no mount is
// below it (for "/": never NULL).
static char *virtual_entries(const char *dir) {
    size_t dir_len = strcmp(dir, "/") == 0 ? 0 : strlen(dir);
    bool virtual = dir_len == 0;
    size_t used = 0;
    char *names = malloc(1);
    if (names == NULL) {
        return NULL;
    }
    // The host's preopened directories are the fds from 3 up.
    for (__wasi_fd_t fd = 3;; ++fd) {
        __wasi_prestat_t prestat;
        if (__wasi_fd_prestat_get(fd, &prestat) != __WASI_ERRNO_SUCCESS) {
            break;
        }
        if (prestat.tag != __WASI_PREOPENTYPE_DIR) {
            continue;
        }
        size_t len = prestat.u.dir.pr_name_len;
        char mount[len + 1];
        if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)mount, len) != __WASI_ERRNO_SUCCESS) {
            continue;
        }
        while (len > 1 && mount[len - 1] == '/') {
            --len;
        }
        mount[len] = '\0';
        if (strcmp(mount, "/") == 0 || (strncmp(mount, dir, len) == 0 && (dir[len] == '\0' || dir[len] == '/'))) {
            // A mount holds `dir`: it is a real directory.
            free(names);
            return NULL;
        }
        if (mount[0] != '/' || strncmp(mount, dir, dir_len) != 0 || mount[dir_len] != '/') {
            continue; // not below `dir`
        }
        virtual = true;
        const char *name = mount + dir_len + 1;
        size_t name_len = strcspn(name, "/");
        bool seen = false;
        for (const char *p = names; p < names + used; p += strlen(p) + 1) {
            if (strlen(p) == name_len && strncmp(p, name, name_len) == 0) {
                seen = true;
            }
        }
        if (seen) {
            continue;
        }
        char *grown = realloc(names, used + name_len + 2);
        if (grown == NULL) {
            free(names);
            return NULL;
        }
        names = grown;
        memcpy(names + used, name, name_len);
        names[used + name_len] = '\0';
        used += name_len + 1;
    }
    names[used] = '\0';
    if (!virtual) {
        free(names);
        return NULL;
    }
    return names;
}

// Whether `path` names a virtual directory. Keeps errno.
static bool is_virtual(const char *path) {
    int saved = errno;
    char *abs_path = normalised_path(path);
    char *names = abs_path != NULL ? virtual_entries(abs_path) : NULL;
    free(abs_path);
    free(names);
    errno = saved;
    return names != NULL;
}

int mpw_stat(const char *path, struct stat *st) {
    // A virtual directory is never inside a mount: try the real one first.
    if (stat(path, st) == 0) {
        return 0;
    }
    if (!is_virtual(path)) {
        return -1;
    }
    memset(st, 0, sizeof(*st));
    st->st_mode = S_IFDIR | 0555;
    st->st_nlink = 1;
    return 0;
}

typedef struct _mpw_dir_t {
    DIR *dir; // a real directory, or NULL
    char *names; // a virtual one's entries (see virtual_entries)
    const char *next;
    struct dirent *entry;
} mpw_dir_t;

mpw_dir_t *mpw_opendir(const char *path) {
    mpw_dir_t *self = calloc(1, sizeof(mpw_dir_t));
    if (self == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    self->dir = opendir(path);
    if (self->dir != NULL) {
        return self;
    }
    int err = errno;
    char *abs_path = normalised_path(path);
    self->names = abs_path != NULL ? virtual_entries(abs_path) : NULL;
    free(abs_path);
    if (self->names == NULL) {
        free(self);
        errno = err;
        return NULL;
    }
    self->next = self->names;
    return self;
}

struct dirent *mpw_readdir(mpw_dir_t *self) {
    if (self->dir != NULL) {
        return readdir(self->dir);
    }
    size_t len = strlen(self->next);
    if (len == 0) {
        return NULL;
    }
    free(self->entry);
    self->entry = malloc(sizeof(struct dirent) + len + 1);
    if (self->entry == NULL) {
        errno = ENOMEM;
        return NULL;
    }
    self->entry->d_ino = 0;
    self->entry->d_type = DT_DIR;
    memcpy(self->entry->d_name, self->next, len + 1);
    self->next += len + 1;
    return self->entry;
}

int mpw_closedir(mpw_dir_t *self) {
    int ret = self->dir != NULL ? closedir(self->dir) : 0;
    free(self->names);
    free(self->entry);
    free(self);
    return ret;
}

// wasi-libc's current directory (libc-bottom-half/sources/chdir.c), set here
// for a virtual directory, which its chdir() refuses. The string set last,
// while it is still the current directory (every chdir() comes here).
extern char *__wasilibc_cwd;
static char *virtual_cwd;

int mpw_chdir(const char *path) {
    char *abs_path = normalised_path(path);
    if (abs_path == NULL) {
        return -1;
    }
    int ret = chdir(abs_path);
    if (ret == 0) {
        virtual_cwd = NULL; // libc replaced (and freed or kept) it
        free(abs_path);
        return 0;
    }
    int err = errno;
    char *names = virtual_entries(abs_path);
    if (names == NULL) {
        free(abs_path);
        errno = err;
        return -1;
    }
    free(names);
    char *previous = virtual_cwd;
    __wasilibc_cwd = virtual_cwd = abs_path;
    free(previous);
    return 0;
}

char *mpw_getcwd(char *buf, size_t size) {
    char *cwd = getcwd(buf, size);
    struct stat st;
    if (cwd != NULL && mpw_stat(".", &st) != 0) {
        // The directory is gone (stat set errno, to ENOENT).
        return NULL;
    }
    return cwd;
}
