"""Helpers for the security suite (fixtures are in conftest.py).

Every attack asserts three things: the exact outcome (a specific SandboxError
subclass, or a specific exception inside the guest), that it came within a
stated time, and that the host is unharmed afterwards -- a fresh interpreter
still runs code, and so does the attacked Sandbox when the outcome leaves it
alive. The last check runs after every test in this directory.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import micropython_wasi
from micropython_wasi import Result, Sandbox

SLACK = 3.0
"""Seconds a limit may take to act beyond its setting on a slow, shared machine."""

QUICK = 5.0
"""Bound for attacks that a limit or a check stops at once."""


@contextlib.contextmanager
def within(seconds: float) -> Iterator[None]:
    """Fail if the block takes `seconds` or longer."""
    started = time.monotonic()
    yield
    elapsed = time.monotonic() - started
    assert elapsed < seconds, f"took {elapsed:.2f} s; the bound is {seconds} s"


def assert_alive(sandbox: Sandbox | None = None) -> None:
    """The host still runs guest code: a new interpreter, and `sandbox` if it is alive."""
    with within(QUICK):
        result = micropython_wasi.run("print(6 * 7)", timeout=10)
    assert result.ok and result.stdout == "42\n", result
    if sandbox is not None and sandbox.alive:
        result = sandbox.run("print('still', 'here')")
        assert result.ok and result.stdout == "still here\n", result


def guest_raised(result: Result, type_name: str, message: str | None = None) -> None:
    """The guest program ended with an uncaught `type_name` whose message contains `message`."""
    assert result.exception is not None, f"expected {type_name}, the run succeeded: {result.stdout!r}"
    assert result.exception.type == type_name, result.exception
    if message is not None:
        assert message in result.exception.message, result.exception
    assert result.exit_code == 1
