/*
 * FAT filesystem support (variants with MICROPY_WASI_FILESYSTEMS "fat"):
 * timestamps for files written to a FAT volume.
 */

#include <time.h>

#include "lib/oofatfs/ff.h"

DWORD get_fattime(void) {
    time_t now = time(NULL);
    struct tm *tm = localtime(&now);
    return ((DWORD)(1900 + tm->tm_year - 1980) << 25)
           | ((DWORD)(tm->tm_mon + 1) << 21)
           | ((DWORD)tm->tm_mday << 16)
           | ((DWORD)tm->tm_hour << 11)
           | ((DWORD)tm->tm_min << 5)
           | ((DWORD)tm->tm_sec / 2);
}
