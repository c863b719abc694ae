"""Host directories that must not be mounted into the guest, and why.

- Directories on, or holding, a kernel filesystem (procfs, sysfs, devfs...):
  /proc/self/mem is a "regular file" that is the host process's memory, and
  /dev and /sys expose devices. Recognised by filesystem type and device
  (/proc/self/mountinfo on Linux), and by the usual mount points elsewhere.
- Writable mounts holding (or inside) what the host itself runs: the
  compiled-image cache, the package, the default image's directory. The
  guest could put code there that a later host process runs.
Both compare devices and inodes, not only paths, so bind mounts and symlinks
do not hide a directory.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from . import _cache
from ._image import default_image_path
from .errors import MountError

# Filesystem types through which the guest could reach host memory, devices,
# or kernel state.
KERNEL_FILESYSTEMS = frozenset({
    "proc", "sysfs", "devtmpfs", "devpts", "debugfs", "tracefs", "securityfs", "cgroup", "cgroup2",
    "configfs", "bpf", "fusectl", "pstore", "efivarfs", "binfmt_misc", "mqueue", "hugetlbfs", "selinuxfs",
    "nsfs", "rpc_pipefs", "autofs", "devfs", "fdescfs", "procfs", "linprocfs", "linsysfs",
})
# Where such filesystems live, whatever their type there (in a container
# /dev is often a tmpfs full of device nodes).
KERNEL_PATHS = ("/proc", "/sys", "/dev")

_MOUNTINFO = "/proc/self/mountinfo"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _unescape(field: str) -> str:
    # mountinfo writes space, tab, newline and backslash as \ooo.
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), field)


def _kernel_mounts() -> list[tuple[str, str, int | None]]:
    """(mount point, type, device) of the kernel filesystems that are mounted."""
    found: list[tuple[str, str, int | None]] = []
    try:
        with open(_MOUNTINFO, encoding="utf-8", errors="surrogateescape") as f:
            lines = f.read().splitlines()
    except OSError:
        lines = []
    for line in lines:
        fields = line.split(" ")
        try:
            fstype = fields[fields.index("-", 6) + 1]
            major, minor = fields[2].split(":")
            device: int | None = os.makedev(int(major), int(minor))
        except (ValueError, IndexError):
            continue
        if fstype in KERNEL_FILESYSTEMS:
            found.append((_unescape(fields[4]), fstype, device))
    for path in KERNEL_PATHS:
        # Also where mountinfo is unavailable (macOS: devfs on /dev).
        try:
            device = os.stat(path).st_dev
        except OSError:
            continue
        found.append((path, "kernel", device if device != os.stat("/").st_dev else None))
    return found


def _within(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip("/") + "/")


def _check_kernel_filesystems(guest: str, real: str) -> None:
    if sys.platform == "win32":
        return
    try:
        device = os.stat(real).st_dev
    except OSError:
        device = None
    for point, fstype, point_device in _kernel_mounts():
        what = f"{point} ({fstype})" if fstype != "kernel" else point
        if _within(real, point) or (point_device is not None and device == point_device):
            raise MountError(
                f"mount {guest!r}: the host directory {real!r} is on the kernel filesystem {what}: the guest "
                f"could read the host process's memory or devices through it; mount an ordinary directory")
        if _within(point, real):
            raise MountError(
                f"mount {guest!r}: the host directory {real!r} contains the kernel filesystem {what}: the "
                f"guest could read the host process's memory or devices through it; mount a directory "
                f"that does not hold {point}")


def _ancestors(path: str) -> Iterator[os.stat_result]:
    current = os.path.realpath(path)
    while True:
        try:
            yield os.stat(current)
        except OSError:
            pass
        parent = os.path.dirname(current)
        if parent == current:
            return
        current = parent


def _same(a: os.stat_result, b: os.stat_result) -> bool:
    return a.st_dev == b.st_dev and a.st_ino == b.st_ino


def _overlaps(directory: str, target: Path) -> bool:
    """Whether `directory` holds `target`, or lies inside it (by device and inode)."""
    try:
        mounted = os.stat(directory)
    except OSError:
        return False
    if any(_same(mounted, above) for above in _ancestors(str(target))):
        return True
    try:
        target_st = os.stat(target)
    except OSError:
        return False
    return any(_same(target_st, above) for above in _ancestors(directory))


def _check_host_code(guest: str, real: str) -> None:
    for what, path in (("the compiled-image cache", _cache.cache_dir()),
                       ("the micropython_wasi package", _PACKAGE_DIR),
                       ("the interpreter image's directory", default_image_path().parent)):
        if _overlaps(real, path):
            raise MountError(
                f"mount {guest!r}: the writable host directory {real!r} overlaps {what} ({path}): the guest "
                f"could replace code that the host runs. Mount it read-only, or mount a directory that "
                f"neither holds nor lies inside {path} (MICROPY_WASI_CACHE_DIR moves the cache)")


def check_mount(guest: str, real: str, writable: bool) -> None:
    """Raise MountError if the guest must not see the host directory `real` (a real path)."""
    _check_kernel_filesystems(guest, real)
    if writable:
        _check_host_code(guest, real)
