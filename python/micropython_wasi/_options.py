"""The Sandbox's options: defaults, limits, and the checks that name what is wrong."""

from __future__ import annotations

import keyword
import os
from collections.abc import Callable, Mapping
from typing import Any, Union

from ._guest import INITIAL_HEAP
from ._mount_checks import check_mount
from .errors import MountError, OptionError
from .result import _Record

DEFAULT_MEMORY_LIMIT = 64 * 1024 * 1024
"""Default `memory_limit`: 64 MiB of guest memory."""
DEFAULT_TIMEOUT = 10.0
"""Default `timeout`: 10 seconds of wall-clock time per run."""
DEFAULT_MAX_OUTPUT = 1024 * 1024
"""Default `max_output`: 1 MiB of stdout and stderr per run."""
DEFAULT_MAX_PAYLOAD = 16 * 1024 * 1024
"""Default `max_payload`: 16 MiB of encoded arguments, or result, per host function call."""

# Guest memory that is not GC heap: the image's data, its C stack, libc's heap.
MEMORY_OVERHEAD = 2 * 1024 * 1024
# The GC heap grows while it leaves this much of memory_limit for libc's heap.
MEMORY_RESERVE = 1024 * 1024
MIN_MEMORY_LIMIT = MEMORY_OVERHEAD + INITIAL_HEAP
MAX_MEMORY_LIMIT = 4 * 1024 * 1024 * 1024 - 65536

# After the soft timeout (KeyboardInterrupt in the guest), the guest gets this
# much longer to unwind before the hard limit stops it: HARD_GRACE_MIN seconds
# plus HARD_GRACE_FACTOR times the timeout, capped at HARD_GRACE_MAX.
HARD_GRACE_MIN = 0.1
HARD_GRACE_FACTOR = 0.1
HARD_GRACE_MAX = 2.0


class Mount(_Record):
    """A host directory made visible to the guest. Read-only unless `writable`."""

    __slots__ = ("host", "writable")
    _defaults = {"writable": False}

    host: str | os.PathLike[str]
    writable: bool

    def __init__(self, host: str | os.PathLike[str], writable: bool = False) -> None:
        super().__init__(host, writable)


MountSpec = Union[str, "os.PathLike[str]", Mount]
HostFunction = Callable[..., Any]


def int_option(name: str, value: Any, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise OptionError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < minimum or (maximum is not None and value > maximum):
        limit = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise OptionError(f"{name} must be {limit}, got {value}")
    return value


def seconds_option(name: str, value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0 or value == float("inf"):
        raise OptionError(f"{name} must be a positive number of seconds, or None for no limit; got {value!r}")
    return float(value)


def _guest_path(path: Any) -> str:
    if not isinstance(path, str):
        raise MountError(f"a mount's guest path must be a str, got {type(path).__name__} {path!r}")
    if not path.startswith("/"):
        raise MountError(f"the guest path {path!r} must be absolute (start with '/'), e.g. '/data'")
    if "\0" in path:
        raise MountError(f"the guest path {path!r} contains a NUL character")
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise MountError(f"the guest path {path!r} must not contain '.' or '..' components")
    return "/" + "/".join(parts)


def check_mounts(mounts: Mapping[str, MountSpec] | None) -> list[tuple[str, str, bool]]:
    """Validate mounts: [(guest path, real host directory, writable)]."""
    if mounts is None:
        return []
    if not isinstance(mounts, Mapping):
        raise MountError(
            f"mounts must be a mapping of guest path to host directory, e.g. {{'/data': '/srv/data'}}; "
            f"got {type(mounts).__name__}")
    checked: dict[str, tuple[str, str, bool]] = {}
    for guest, spec in mounts.items():
        guest_path = _guest_path(guest)
        if isinstance(spec, Mount):
            host, writable = spec.host, spec.writable
        elif isinstance(spec, (str, os.PathLike)):
            host, writable = spec, False
        else:
            raise MountError(
                f"mount {guest!r}: expected a host directory path or Mount(path, writable=...), "
                f"got {type(spec).__name__}")
        if not isinstance(writable, bool):
            raise MountError(f"mount {guest!r}: writable must be True or False, got {writable!r}")
        try:
            host_path = os.fspath(host)
        except TypeError:
            raise MountError(f"mount {guest!r}: the host path must be a str or path, got {host!r}") from None
        if not isinstance(host_path, str):
            raise MountError(f"mount {guest!r}: the host path must be a str, got {host_path!r}")
        real = os.path.realpath(host_path)
        if not os.path.isdir(real):
            what = "is not a directory" if os.path.exists(real) else "does not exist"
            raise MountError(f"mount {guest!r}: the host directory {host_path!r} {what}")
        if guest_path in checked:
            raise MountError(f"the guest path {guest_path!r} is mounted twice")
        check_mount(guest_path, real, writable)
        checked[guest_path] = (guest_path, real, writable)
    return list(checked.values())


def check_function_name(name: Any) -> str:
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise OptionError(f"a host function name must be a Python identifier, got {name!r}")
    if name == "functions":
        raise OptionError("'functions' is reserved: host.functions() lists the host functions")
    return name


def grace(timeout: float) -> float:
    """Seconds between the soft and the hard time limit of a run with this timeout."""
    return min(HARD_GRACE_MAX, HARD_GRACE_MIN + HARD_GRACE_FACTOR * timeout)


def stdin_bytes(stdin: Any) -> bytes:
    """A run's stdin argument as bytes."""
    if stdin is None:
        return b""
    if isinstance(stdin, str):
        return stdin.encode()
    if isinstance(stdin, (bytes, bytearray)):
        return bytes(stdin)
    raise OptionError(f"stdin must be str or bytes, got {type(stdin).__name__}")


def check_host_functions(host_functions: Mapping[str, HostFunction] | None) -> dict[str, HostFunction]:
    """Sandbox(host_functions=...): a mapping of valid names to callables, copied."""
    if host_functions is not None and not isinstance(host_functions, Mapping):
        raise OptionError(f"host_functions must be a mapping of name to callable, got {type(host_functions).__name__}")
    checked: dict[str, HostFunction] = {}
    for name, fn in (host_functions or {}).items():
        if not callable(fn):
            raise OptionError(f"host function {name!r} is not callable: {fn!r}")
        checked[check_function_name(name)] = fn
    return checked


def check_snapshot_key(key: bytes | bytearray | None) -> bytes | None:
    """Sandbox(snapshot_key=...): None, or bytes long enough for an HMAC key."""
    if key is not None and (not isinstance(key, (bytes, bytearray)) or len(key) < 16):
        raise OptionError("snapshot_key must be bytes, at least 16 of them (e.g. secrets.token_bytes(32))")
    return None if key is None else bytes(key)
