"""Exceptions raised by micropython_wasi. All derive from SandboxError."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .result import Result


class SandboxError(Exception):
    """Base class of every error this package raises."""


class ImageError(SandboxError):
    """The interpreter image is missing, unreadable, or not a MicroPython WASI image."""


class OptionError(SandboxError, ValueError):
    """An option passed to run() or Sandbox() is invalid."""


class MountError(OptionError):
    """A mount is invalid (missing host directory, bad guest path, ...)."""


class SandboxClosedError(SandboxError):
    """The Sandbox was closed, or an earlier run ended it (see the message)."""


class LimitExceeded(SandboxError):
    """A resource limit stopped the guest. `result` holds the output produced until then."""

    def __init__(self, message: str, result: Result | None = None) -> None:
        super().__init__(message)
        self.result = result


class TimeoutExceeded(LimitExceeded):
    """The run took longer than its `timeout`."""


class FuelExhausted(LimitExceeded):
    """The run used up its `fuel` (instruction budget)."""


class MemoryLimitExceeded(LimitExceeded):
    """The guest needed more memory than its `memory_limit`."""


class OutputLimitExceeded(LimitExceeded):
    """The guest wrote more than `max_output` bytes to stdout and stderr."""


class SnapshotError(SandboxError):
    """A snapshot cannot be taken or restored (damaged, another image, wrong key, ...: see the message)."""


class GuestCrash(SandboxError):
    """The interpreter itself trapped (a bug in the image); the host is unaffected."""


class GuestError(SandboxError):
    """The guest program ended with an uncaught exception (raised by Result.check())."""

    def __init__(self, result: Result) -> None:
        exc = result.exception
        message = f"{exc.type}: {exc.message}" if exc else f"guest exited with status {result.exit_code}"
        super().__init__(message)
        self.result = result

    def __reduce__(self) -> tuple[type[GuestError], tuple[Result]]:
        return (GuestError, (self.result,))


class BuildError(SandboxError):
    """Building a custom image failed (micropython_wasi.build); the message says what to fix."""
