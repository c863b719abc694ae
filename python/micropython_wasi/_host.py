"""The host side of a Sandbox's runs: what its guest's imports do, and the state of the run.

A Host serves its guest's imports (see _imports.py) while the Sandbox runs
code: it collects output and the uncaught exception, feeds stdin, and calls
host functions. Its per-run state is set in one place, begin().
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from . import _abi, _codec, _engine
from ._guest import Guest, GuestBufferError
from ._options import HostFunction, grace
from .result import GuestException, Result


class OutputOverflow(Exception):
    """Raised in the write import when the guest exceeds max_output."""


# MicroPython's built-in exception types (py/objexcept.c).
_GUEST_EXCEPTIONS = frozenset({
    "ArithmeticError", "AssertionError", "AttributeError", "EOFError", "Exception", "ImportError",
    "IndentationError", "IndexError", "KeyError", "LookupError", "MemoryError", "NameError",
    "NotImplementedError", "OSError", "OverflowError", "RuntimeError", "StopAsyncIteration", "StopIteration",
    "SyntaxError", "TypeError", "UnicodeError", "ValueError", "ZeroDivisionError",
})


def _guest_exception_name(exc: BaseException) -> tuple[str, str]:
    """The exception the guest raises for a host exception: the nearest built-in
    type the guest has, and a message (naming the host's type if that differs)."""
    message = str(exc)
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins" and cls.__name__ in _GUEST_EXCEPTIONS:
            if cls is not type(exc):
                message = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
            return cls.__name__, message
    return "RuntimeError", f"{type(exc).__name__}: {message}"


class Host:
    """Serves one Sandbox's guest; implements _imports.HostHandler."""

    __slots__ = ("functions", "timeout", "grace", "max_output", "max_payload", "longest_name", "sink", "source",
                 "guest", "stdout", "stderr", "output_size", "exception", "stdin", "reply", "host_error",
                 "soft_deadline", "hard_deadline", "decode_deadline", "overran", "world")

    functions: dict[str, HostFunction]
    timeout: float | None
    grace: float
    max_output: int | None
    max_payload: int
    longest_name: int
    sink: Callable[[int, bytes], None] | None
    source: Callable[[int], bytes] | None
    guest: Guest | None
    stdout: list[bytes]
    stderr: list[bytes]
    output_size: int
    exception: GuestException | None
    stdin: memoryview
    reply: bytes
    host_error: BaseException | None
    soft_deadline: float | None  # time.perf_counter() values, for host calls
    hard_deadline: float | None
    decode_deadline: float | None
    overran: tuple[str, float] | None  # (name, seconds) of a host call that returned after the soft deadline
    world: Any  # a deterministic Sandbox's clock and randomness (_deterministic.World), or None

    def __init__(self, functions: dict[str, HostFunction], *, timeout: float | None, max_output: int | None,
                 max_payload: int) -> None:
        self.functions = functions  # the Sandbox's own dict: registrations show here
        self.timeout = timeout
        self.grace = grace(timeout) if timeout is not None else 0.0
        self.max_output = max_output
        self.max_payload = max_payload
        self.longest_name = 0  # bytes: a longer name in a call cannot be a host function's
        # Console hooks (the command line streams output and reads the terminal).
        self.sink = None
        self.source = None
        self.guest = None
        self.world = None
        self.begin(None, b"")

    def begin(self, guest: Guest | None, stdin: bytes) -> None:
        """Start a run's state afresh: no output, no exception, `stdin` to read."""
        self.guest = guest
        self.stdout = []
        self.stderr = []
        self.output_size = 0
        self.exception = None
        # A view, so that reading a large stdin in small pieces costs the host
        # linear time, not quadratic.
        self.stdin = memoryview(stdin)
        self.reply = b""
        self.host_error = None
        # Time limits of the run in progress (set by start_clock()).
        self.soft_deadline = None
        self.hard_deadline = None
        self.decode_deadline = None
        self.overran = None

    def start_clock(self, started: float) -> None:
        """The run's guest code started at `started`: its time limits count from there."""
        assert self.timeout is not None
        self.soft_deadline = started + self.timeout
        self.hard_deadline = started + self.timeout + self.grace

    def stop_clock(self) -> None:
        self.soft_deadline = self.hard_deadline = None

    def take_error(self) -> BaseException | None:
        """The exception a host import raised in this run (once)."""
        error, self.host_error = self.host_error, None
        return error

    def output(self) -> tuple[str, str]:
        return (b"".join(self.stdout).decode("utf-8", "replace"),
                b"".join(self.stderr).decode("utf-8", "replace"))

    def result(self, status: int, elapsed: float, fuel_consumed: int | None) -> Result:
        """The run's Result, from the guest's status (_abi: 0, 1 after an exception, EXIT_FLAG | code)."""
        exit_code = status & 0xFF if status & _abi.EXIT_FLAG else 1 if status else 0
        stdout, stderr = self.output()
        return Result(stdout=stdout, stderr=stderr, exception=self.exception if status == 1 else None,
                      exit_code=exit_code, fuel_consumed=fuel_consumed, elapsed=elapsed)

    def keep_leftover(self, guest: Guest) -> None:
        """Keep what a stopped guest had written but not yet flushed (as far as max_output allows)."""
        try:
            leftover = guest.console_leftover()
        except GuestBufferError:
            return
        if leftover is not None:
            try:
                self.keep_output(*leftover)
            except OutputOverflow:
                pass

    def timeout_message(self) -> str:
        assert self.timeout is not None
        overran = self.overran
        if overran is None:
            return f"the run exceeded its timeout of {self.timeout:g} s"
        name, seconds = overran
        return (f"the run exceeded its timeout of {self.timeout:g} s while host function {name!r} ran "
                f"(it took {seconds:.2f} s and returned after the deadline)")

    def keep_output(self, stream: int, data: bytes) -> None:
        """Record (and stream) output; past max_output keep what fits and raise OutputOverflow."""
        limit = self.max_output
        overflow = limit is not None and self.output_size + len(data) > limit
        if overflow:
            assert limit is not None
            data = data[:max(0, limit - self.output_size)]
        self.output_size += len(data)
        if data:
            (self.stderr if stream == _abi.STREAM_STDERR else self.stdout).append(data)
            if self.sink is not None:
                self.sink(stream, data)
        if overflow:
            raise OutputOverflow()

    # -- the imports (called by the guest while it runs) -------------------

    def host_write(self, ctx: Any, stream: int, ptr: int, length: int) -> None:
        guest = self.guest
        assert guest is not None
        data = guest.read_memory(ptr, length, ctx)
        if stream == _abi.STREAM_CONSOLE_MODE:
            # Not output: the REPL's terminal mode, for the command line.
            if self.sink is not None:
                self.sink(stream, data)
            return
        self.keep_output(stream, data)

    def host_read(self, ctx: Any, ptr: int, length: int) -> int:
        guest = self.guest
        assert guest is not None
        if self.source is not None:
            data = self.source(length)[:length]
        else:
            data, self.stdin = bytes(self.stdin[:length]), self.stdin[length:]
        if data:
            guest.write_memory(ptr, data, ctx)
        return len(data)

    def host_call(self, ctx: Any, name_ptr: int, name_len: int, ptr: int, length: int) -> int:
        guest = self.guest
        assert guest is not None
        soft = self.soft_deadline
        begun = time.perf_counter()
        if name_len > self.longest_name:
            # Longer than every registered name: read no more than a preview for the message.
            preview = guest.read_memory(name_ptr, min(name_len, 40), ctx).decode("utf-8", "replace")
            reply = self._error_reply("NameError", f"no host function named {preview!r}... ({name_len} bytes)")
            name = ""
        else:
            name = guest.read_memory(name_ptr, name_len, ctx).decode("utf-8", "replace")
            fn = self.functions.get(name)
            if fn is None:
                reply = self._error_reply("NameError", f"no host function named {name!r}")
            elif length > self.max_payload:
                reply = self._error_reply(
                    "ValueError",
                    f"the arguments to host function {name!r} take {length} bytes, more than the limit of "
                    f"{self.max_payload} (max_payload)")
            else:
                # Decoding stops at the deadline the guest is under: the soft one, or the hard one once
                # that has passed (then the guest is stopped as the call returns).
                self.decode_deadline = None if soft is None else soft if begun < soft else self.hard_deadline
                reply = self._call_host_function(name, fn, guest.read_memory(ptr, length, ctx))
        if soft is not None and begun < soft:
            now = time.perf_counter()
            if now >= soft:
                # The call ran past the soft deadline: the guest gets its KeyboardInterrupt as the
                # call returns (see modhost.c), and the hard limit counts from now. (Calls made
                # after the soft deadline do not move it.)
                self.hard_deadline = now + self.grace
                guest.set_deadline(_engine.deadline_ticks(self.grace), ctx)
                self.overran = (name or "?", now - begun)
        self.reply = reply
        return len(reply)

    def _error_reply(self, type_name: str, message: str) -> bytes:
        """An error reply, its message cut to fit max_payload."""
        message = message.encode("utf-8", "backslashreplace").decode("utf-8")
        reply = _codec.encode_error(type_name, message)
        if len(reply) > self.max_payload:
            room = self.max_payload - len(_codec.encode_error(type_name, "..."))
            cut = message.encode()[:max(0, room)].decode("utf-8", "ignore")
            reply = _codec.encode_error(type_name, cut + "..." if room > 0 else "")
        return reply

    def _call_host_function(self, name: str, fn: HostFunction, payload: bytes) -> bytes:
        try:
            args, kwargs = _codec.decode_call(payload, self.decode_deadline)
        except _codec.DeadlineExceeded as exc:
            return self._error_reply("RuntimeError", f"cannot call host function {name!r}: {exc}")
        except _codec.CodecError as exc:
            return self._error_reply("TypeError", f"cannot pass these arguments to host function {name!r}: {exc}")
        try:
            value = fn(*args, **kwargs)
        except Exception as exc:
            type_name, message = _guest_exception_name(exc)
            return self._error_reply(type_name, message)
        try:
            reply = _codec.encode_reply(value)
        except _codec.CodecError as exc:
            return self._error_reply("TypeError", f"host function {name!r} returned {exc}")
        if len(reply) > self.max_payload:
            return self._error_reply(
                "ValueError",
                f"the result of host function {name!r} takes {len(reply)} bytes, more than the limit of "
                f"{self.max_payload} (max_payload)")
        return reply

    def host_reply(self, ctx: Any, ptr: int, length: int) -> None:
        guest = self.guest
        assert guest is not None
        reply, self.reply = self.reply, b""
        guest.write_memory(ptr, reply[:length], ctx)

    def host_exception(self, ctx: Any, ptr: int, length: int) -> None:
        guest = self.guest
        assert guest is not None
        raw = guest.read_memory(ptr, length, ctx).decode("utf-8", "replace")
        type_name, _, rest = raw.partition("\0")
        message, _, traceback = rest.partition("\0")
        self.exception = GuestException(type_name, message, traceback)
