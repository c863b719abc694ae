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

import functools
import os
import re
import select
import sys
import threading
from pathlib import Path
from typing import Any

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


def _parse_mountinfo(text: str) -> list[tuple[str, str, int | None]]:
    found: list[tuple[str, str, int | None]] = []
    for line in text.splitlines():
        fields = line.split(" ")
        try:
            fstype = fields[fields.index("-", 6) + 1]
            if fstype not in KERNEL_FILESYSTEMS:
                continue
            major, minor = fields[2].split(":")
            found.append((_unescape(fields[4]), fstype, os.makedev(int(major), int(minor))))
        except (ValueError, IndexError):
            continue
    return found


class _MountTable:
    """The kernel filesystems in /proc/self/mountinfo, read again only after a change.

    The kernel marks an open mountinfo file with POLLPRI when something is
    mounted or unmounted (proc(5)); reading it costs far more than asking.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._file: Any = None
        self._poll: Any = None
        self._mounts: list[tuple[str, str, int | None]] = []

    def get(self) -> list[tuple[str, str, int | None]]:
        with self._lock:
            if self._file is not None and not self._poll.poll(0):
                return self._mounts
            try:
                if self._file is None:
                    self._file = open(_MOUNTINFO, encoding="utf-8", errors="surrogateescape")
                    self._poll = select.poll()
                    self._poll.register(self._file, select.POLLPRI | select.POLLERR)
                    self._poll.poll(0)  # starts watching from now
                self._file.seek(0)
                self._mounts = _parse_mountinfo(self._file.read())
            except (OSError, AttributeError):  # no mountinfo, or no poll()
                self.close()
                try:
                    with open(_MOUNTINFO, encoding="utf-8", errors="surrogateescape") as f:
                        return _parse_mountinfo(f.read())
                except OSError:
                    return []
            return self._mounts

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file = self._poll = None


_table = _MountTable()


def _after_fork() -> None:
    global _table
    _table = _MountTable()  # (the parent's open file is shared: do not read it here)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def _kernel_mounts(table: list[tuple[str, str, int | None]]) -> list[tuple[str, str, int | None]]:
    """(mount point, type, device) of the kernel filesystems that are mounted."""
    return table + _kernel_paths()


@functools.lru_cache(maxsize=1)
def _kernel_paths() -> list[tuple[str, str, int | None]]:
    """The usual kernel mount points, with their device if they are mount points
    (also where mountinfo is unavailable: macOS has devfs on /dev). Fixed
    system directories: looked at once per process."""
    try:
        root = os.stat("/").st_dev
    except OSError:
        root = None
    found: list[tuple[str, str, int | None]] = []
    for path in KERNEL_PATHS:
        try:
            device = os.stat(path).st_dev
        except OSError:
            continue
        found.append((path, "kernel", device if device != root else None))
    return found


def _check_kernel_filesystems(guest: str, real: str, device: int | None,
                              table: list[tuple[str, str, int | None]]) -> None:
    if sys.platform == "win32":
        return
    below = real.rstrip("/") + "/"
    for point, fstype, point_device in _kernel_mounts(table):
        on = real == point or real.startswith(point.rstrip("/") + "/") or device == point_device
        if not on and not point.startswith(below):
            continue
        what = f"{point} ({fstype})" if fstype != "kernel" else point
        if on:
            raise MountError(
                f"mount {guest!r}: the host directory {real!r} is on the kernel filesystem {what}: the guest "
                f"could read the host process's memory or devices through it; mount an ordinary directory")
        raise MountError(
            f"mount {guest!r}: the host directory {real!r} contains the kernel filesystem {what}: the "
            f"guest could read the host process's memory or devices through it; mount a directory "
            f"that does not hold {point}")


def _identities(path: str, real: bool = False) -> list[tuple[int, int]]:
    """(device, inode) of `path` (if it exists) and of each directory above it."""
    found = []
    current = path if real else os.path.realpath(path)
    while True:
        try:
            st = os.stat(current)
            found.append((st.st_dev, st.st_ino))
        except OSError:
            pass
        parent = os.path.dirname(current)
        if parent == current:
            return found
        current = parent


_known: dict[str, tuple[tuple[int, int] | None, list[tuple[int, int]]]] = {}


def _target_identities(target: Path) -> tuple[tuple[int, int] | None, list[tuple[int, int]]]:
    """The identity of `target` (None if it does not exist) and those of it and the
    directories above it; remembered while `target` stays the same directory.
    (While it does not exist, a guest must not be able to create it either.)"""
    try:
        st = os.stat(target)
        identity: tuple[int, int] | None = (st.st_dev, st.st_ino)
    except OSError:
        identity = None
    known = _known.get(str(target))
    if known is None or known[0] != identity or identity is None:
        known = (identity, _identities(str(target)))
        _known[str(target)] = known
    return known


@functools.lru_cache(maxsize=8)
def _host_code(*environment: str | None) -> tuple[tuple[str, Path], ...]:
    """The directories holding code the host runs (they depend on `environment`)."""
    return (("the compiled-image cache", _cache.cache_dir()),
            ("the micropython_wasi package", _PACKAGE_DIR),
            ("the interpreter image's directory", default_image_path().parent))


# What the protected directories depend on (USERPROFILE: Windows' home).
_ENVIRONMENT = ("MICROPY_WASI_CACHE_DIR", "XDG_CACHE_HOME", "HOME", "MICROPY_WASI_IMAGE") + (
    ("USERPROFILE",) if sys.platform == "win32" else ())


def _check_host_code(guest: str, real: str, targets: tuple[tuple[str, Path], ...]) -> None:
    mounted = _identities(real, real=True)
    if not mounted:
        return
    for what, path in targets:
        identity, above = _target_identities(path)
        # The mount holds the target, or lies inside it.
        if mounted[0] in above or (identity is not None and identity in mounted):
            raise MountError(
                f"mount {guest!r}: the writable host directory {real!r} overlaps {what} ({path}): the guest "
                f"could replace code that the host runs. Mount it read-only, or mount a directory that "
                f"neither holds nor lies inside {path} (MICROPY_WASI_CACHE_DIR moves the cache)")


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


# Mounts that passed, by everything the verdict depends on: the directory (path
# and identity), whether it is writable, the environment that places the
# protected directories, the identity of the cache directory (created, and
# cleared, while the process runs; the package's and the image's directories
# exist as long as the process does), and the kernel mount table (compared by
# identity: _MountTable returns a new list after every change). A fresh run()
# checks its mounts again; this keeps that to two stat calls.
_MAX_PASSED = 256
_passed: dict[tuple[object, ...], list[tuple[str, str, int | None]]] = {}
_passed_lock = threading.Lock()


def check_mount(guest: str, real: str, writable: bool) -> None:
    """Raise MountError if the guest must not see the host directory `real` (a real path)."""
    identity = _identity(real)
    table = _table.get()
    key: tuple[object, ...] = (real, identity, writable)
    if writable:
        environment = tuple(map(os.environ.get, _ENVIRONMENT))
        targets = _host_code(*environment)
        key += (environment, _identity(targets[0][1]))  # the cache directory
    with _passed_lock:
        if identity is not None and _passed.get(key) is table:
            return
    _check_kernel_filesystems(guest, real, identity[0] if identity else None, table)
    if writable:
        _check_host_code(guest, real, targets)
    with _passed_lock:
        if len(_passed) >= _MAX_PASSED:
            _passed.clear()
        _passed[key] = table
