// Forced include for extmod/vfs_posix_file.c: its reads, writes and syncs go
// through the port, which sends the console fds (sys.stdin, sys.stdout,
// sys.stderr) to the host instead of WASI (see mphalport.c).
#ifndef MICROPY_INCLUDED_WASI_VFS_POSIX_CONSOLE_H
#define MICROPY_INCLUDED_WASI_VFS_POSIX_CONSOLE_H

#include <unistd.h>

ssize_t mpw_posix_write(int fd, const void *buf, size_t count);
ssize_t mpw_posix_read(int fd, void *buf, size_t count);
int mpw_posix_fsync(int fd);

#define write(fd, buf, count) mpw_posix_write(fd, buf, count)
#define read(fd, buf, count) mpw_posix_read(fd, buf, count)
#define fsync(fd) mpw_posix_fsync(fd)

#endif // MICROPY_INCLUDED_WASI_VFS_POSIX_CONSOLE_H
