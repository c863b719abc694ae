"""The on-disk cache of compiled and pre-initialised images, trusted only if this user wrote it.

What is cached is machine code that wasmtime runs as it is, so nothing is
used unless this user's process wrote it and it is unchanged since:

- The directory is created 0700 and used only if it belongs to this user and
  no one else may write to it; otherwise the process runs without a disk
  cache (one warning).
- It holds a random key (`secret.key`, 0600), made by the first process.
  Each entry starts with an HMAC-SHA256, under that key, of its name and
  contents; a reader verifies it before using the entry.
- Files are opened relative to the directory's descriptor, without following
  links, and must be regular files of this user that no one else may write.
- Entries are read into memory and verified there: the host never maps a file
  that someone else could truncate or change while it is in use.

Where the platform has no owners and modes of the POSIX kind (Windows), the
ownership checks are skipped and the directory's ACLs (the user's profile)
are what keeps other users out; entries are still verified.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import threading
import warnings
from pathlib import Path

# Bump when what is cached changes meaning (it is part of every entry's name).
CACHE_FORMAT = b"micropython-wasi-cache-3"

KEY_FILE = "secret.key"
_KEY_SIZE = 32
_MAGIC = b"MPWCACHE"
_MAC_SIZE = hashlib.sha256().digest_size
_HEADER_SIZE = len(_MAGIC) + _MAC_SIZE
# An entry bigger than this is not ours (compiled images are megabytes).
MAX_ENTRY_SIZE = 1 << 30

_POSIX = os.open in os.supports_dir_fd and hasattr(os, "geteuid")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0) | \
    getattr(os, "O_BINARY", 0)
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | \
    getattr(os, "O_BINARY", 0)


def cache_dir() -> Path:
    """Where compiled images are cached: MICROPY_WASI_CACHE_DIR, or the user's cache directory."""
    base = os.environ.get("MICROPY_WASI_CACHE_DIR")
    if base:
        return Path(base)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "micropython-wasi" if xdg else Path.home() / ".cache" / "micropython-wasi"


class _Directory:
    """An open, checked cache directory and its key."""

    def __init__(self, path: Path, fd: int | None, key: bytes) -> None:
        self.path = path
        self.fd = fd  # None where there is no dir_fd support: use paths
        self.key = key

    def where(self, name: str) -> str:
        return name if self.fd is not None else str(self.path / name)

    def open(self, name: str, flags: int, mode: int = 0o600) -> int:
        return os.open(self.where(name), flags, mode, dir_fd=self.fd)

    def mac(self, name: str, data: bytes | memoryview) -> bytes:
        digest = hmac.new(self.key, name.encode() + b"\0", hashlib.sha256)
        digest.update(data)
        return digest.digest()


_lock = threading.Lock()
_directories: dict[str, _Directory | None] = {}


class _Untrusted(Exception):
    """The cache directory or its key fails a check; the message says which and how to fix it."""


def _check_owned(st: os.stat_result, what: str, private: bool) -> None:
    if not _POSIX:
        return
    if st.st_uid != os.geteuid():
        raise _Untrusted(f"{what} belongs to user id {st.st_uid}, not to this user ({os.geteuid()})")
    forbidden = 0o077 if private else 0o022
    if st.st_mode & forbidden:
        raise _Untrusted(f"{what} has mode {stat.S_IMODE(st.st_mode):o}: others may "
                         f"{'read or write' if private else 'write'} it (chmod go-rwx fixes that)")


def _read_all(fd: int, limit: int, header: int = 0) -> tuple[bytes, bytes]:
    """The first `header` bytes of a regular file of at most `limit` bytes, and the rest."""
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        raise _Untrusted("is not a regular file")
    if st.st_size > limit:
        raise _Untrusted("is too large")
    with os.fdopen(fd, "rb", closefd=False) as f:
        return f.read(header), f.read(limit + 1)


def _read_key(directory: _Directory) -> bytes | None:
    try:
        fd = directory.open(KEY_FILE, _READ_FLAGS)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _Untrusted(f"its key {KEY_FILE} cannot be opened ({exc}); remove it") from None
    try:
        _check_owned(os.fstat(fd), f"its key {KEY_FILE}", private=True)
        _, key = _read_all(fd, _KEY_SIZE)
    except _Untrusted as exc:
        if str(exc).startswith("is "):
            raise _Untrusted(f"its key {KEY_FILE} {exc} (remove it)") from None
        raise
    finally:
        os.close(fd)
    if len(key) != _KEY_SIZE:
        raise _Untrusted(f"its key {KEY_FILE} is damaged (remove it)")
    return key


def _make_key(directory: _Directory) -> None:
    """Write a new key, unless another process got there first (link does not replace)."""
    tmp = f".key-{secrets.token_hex(8)}"
    fd = directory.open(tmp, _CREATE_FLAGS, 0o600)
    try:
        try:
            os.write(fd, secrets.token_bytes(_KEY_SIZE))
        finally:
            os.close(fd)
        try:
            os.link(directory.where(tmp), directory.where(KEY_FILE), src_dir_fd=directory.fd,
                    dst_dir_fd=directory.fd, )
        except FileExistsError:
            pass
        except OSError:  # no hard links here: a rare race then only costs a recompilation
            os.replace(directory.where(tmp), directory.where(KEY_FILE), src_dir_fd=directory.fd,
                       dst_dir_fd=directory.fd)
    finally:
        try:
            os.unlink(directory.where(tmp), dir_fd=directory.fd)
        except OSError:
            pass


def _open_directory(path: Path) -> _Directory:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            pass
        fd = None
        if _POSIX:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _Untrusted(f"it cannot be created or opened ({exc})") from None
    try:
        st = os.fstat(fd) if fd is not None else path.stat()
        if not stat.S_ISDIR(st.st_mode):
            raise _Untrusted("it is not a directory")
        _check_owned(st, "it", private=False)
        directory = _Directory(path, fd, b"")
        key = _read_key(directory)
        if key is None:
            try:
                _make_key(directory)
            except OSError as exc:
                raise _Untrusted(f"its key cannot be written ({exc})") from None
            key = _read_key(directory)
            if key is None:
                raise _Untrusted(f"its key {KEY_FILE} vanished while it was made")
        directory.key = key
        return directory
    except BaseException:
        if fd is not None:
            os.close(fd)
        raise


def _directory() -> _Directory | None:
    """The checked cache directory of this process (checked once per directory), or None."""
    path = cache_dir()
    name = str(path)
    if name in _directories:
        return _directories[name]
    with _lock:
        if name not in _directories:
            directory: _Directory | None
            try:
                directory = _open_directory(path)
            except _Untrusted as exc:
                warnings.warn(f"micropython-wasi: not using the cache directory {path}: {exc}. Images are compiled "
                              f"again in each process; set MICROPY_WASI_CACHE_DIR to a private directory",
                              RuntimeWarning, stacklevel=4)
                directory = None
            _directories[name] = directory
        return _directories[name]


def _after_fork() -> None:
    # The descriptors stay valid in a child; the lock may have been held.
    global _lock
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def entry_name(*parts: bytes, suffix: str) -> str:
    """The file name of the entry for `parts` (an image hash, engine settings...)."""
    return hashlib.sha256(b"\0".join([CACHE_FORMAT, *parts])).hexdigest()[:40] + suffix


def load(name: str) -> bytes | None:
    """The contents of entry `name`, if this user's process wrote it and it is unchanged."""
    directory = _directory()
    if directory is None:
        return None
    try:
        fd = directory.open(name, _READ_FLAGS)
    except OSError:
        return None  # absent, or a link
    try:
        _check_owned(os.fstat(fd), name, private=False)
        header, data = _read_all(fd, MAX_ENTRY_SIZE, _HEADER_SIZE)
    except (OSError, _Untrusted):
        return None
    finally:
        os.close(fd)
    if len(header) < _HEADER_SIZE or not header.startswith(_MAGIC):
        return None
    if not hmac.compare_digest(header[len(_MAGIC):], directory.mac(name, data)):
        return None
    return data


def store(name: str, data: bytes) -> None:
    """Write entry `name` atomically (readers see the old entry or the new one)."""
    directory = _directory()
    if directory is None:
        return
    tmp = f".tmp-{secrets.token_hex(8)}"
    try:
        fd = directory.open(tmp, _CREATE_FLAGS, 0o600)
        try:
            with os.fdopen(fd, "wb", closefd=False) as f:
                f.write(_MAGIC + directory.mac(name, data))
                f.write(data)
        finally:
            os.close(fd)
        os.replace(directory.where(tmp), directory.where(name), src_dir_fd=directory.fd, dst_dir_fd=directory.fd)
    except OSError:
        try:
            os.unlink(directory.where(tmp), dir_fd=directory.fd)
        except OSError:
            pass  # the cache is an optimisation only


def discard(name: str) -> None:
    """Remove entry `name` (it turned out to be unusable)."""
    directory = _directory()
    if directory is not None:
        try:
            os.unlink(directory.where(name), dir_fd=directory.fd)
        except OSError:
            pass
