"""The outcome of running guest code."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import GuestError


@dataclass(frozen=True)
class GuestException:
    """An exception the guest program did not catch."""

    type: str
    """The exception's type name, e.g. "ZeroDivisionError"."""
    message: str
    """str() of the exception."""
    traceback: str
    """MicroPython's traceback text, as it printed it."""


@dataclass(frozen=True)
class Result:
    """What a run produced. `ok` is true when the guest ran to completion."""

    stdout: str
    stderr: str
    exception: GuestException | None = None
    exit_code: int = 0
    """The guest's exit status: 0, 1 for an uncaught exception, or sys.exit()'s value."""
    fuel_consumed: int | None = None
    """Fuel the run used, when fuel metering was on."""
    elapsed: float = 0.0
    """Wall-clock seconds the run took."""

    @property
    def ok(self) -> bool:
        return self.exception is None and self.exit_code == 0

    def check(self) -> Result:
        """Return self if ok, else raise GuestError."""
        if not self.ok:
            raise GuestError(self)
        return self
