"""The outcome of running guest code."""

from __future__ import annotations

from typing import Any

from .errors import GuestError


class _Record:
    """A small immutable record (like a frozen dataclass, without importing dataclasses:
    the command line starts faster)."""

    __slots__: tuple[str, ...] = ()
    _defaults: dict[str, Any] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = self.__slots__
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__} takes at most {len(names)} positional arguments")
        values = dict(zip(names, args))
        for name, value in kwargs.items():
            if name not in names:
                raise TypeError(f"{type(self).__name__} has no field {name!r}")
            if name in values:
                raise TypeError(f"{type(self).__name__} got {name!r} twice")
            values[name] = value
        for name in names:
            if name not in values:
                if name not in self._defaults:
                    raise TypeError(f"{type(self).__name__} needs {name!r}")
                values[name] = self._defaults[name]
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # For pickle and copy (multiprocessing, concurrent.futures): __setattr__ refuses.
        return (type(self), tuple(getattr(self, n) for n in self.__slots__))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, n) for n in self.__slots__))

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({fields})"


class GuestException(_Record):
    """An exception the guest program did not catch."""

    __slots__ = ("type", "message", "traceback")

    type: str
    """The exception's type name, e.g. "ZeroDivisionError"."""
    message: str
    """str() of the exception."""
    traceback: str
    """MicroPython's traceback text, as it printed it."""

    def __init__(self, type: str, message: str, traceback: str) -> None:  # noqa: A002
        super().__init__(type, message, traceback)


class Result(_Record):
    """What a run produced. `ok` is true when the guest ran to completion.

    stdout, stderr: what the guest wrote (str).
    exception: the uncaught guest exception (GuestException), or None.
    exit_code: 0, 1 after an uncaught exception, or the value passed to sys.exit().
    fuel_consumed: fuel the run used, when the Sandbox has a `fuel` limit; else None.
    elapsed: wall-clock seconds the run took.
    value: the repr of the value of the program's final expression statement, as
        the REPL shows it (None when the last statement is not an expression, its
        value is None, or the run did not complete); only for runs with value=True.
    """

    __slots__ = ("stdout", "stderr", "exception", "exit_code", "fuel_consumed", "elapsed", "value")
    _defaults = {"exception": None, "exit_code": 0, "fuel_consumed": None, "elapsed": 0.0, "value": None}

    stdout: str
    stderr: str
    exception: GuestException | None
    exit_code: int
    fuel_consumed: int | None
    elapsed: float
    value: str | None

    def _with_value(self, value: str | None) -> Result:
        """A copy of this Result with `value` set."""
        fields = {name: getattr(self, name) for name in self.__slots__}
        fields["value"] = value
        return Result(**fields)

    @property
    def ok(self) -> bool:
        """True when the guest ran to completion: no uncaught exception, exit status 0."""
        return self.exception is None and self.exit_code == 0

    def check(self) -> Result:
        """Return self if ok, else raise GuestError (whose .result is this Result)."""
        if not self.ok:
            raise GuestError(self)
        return self
