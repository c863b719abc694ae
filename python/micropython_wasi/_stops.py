"""The public exception for a guest that stopped: a trap, a limit, or a failed host import;
and what state that leaves a Sandbox's interpreter in."""

from __future__ import annotations

import enum
from collections.abc import Callable

import wasmtime

from . import _engine
from ._guest import GuestBufferError, GuestFault, GuestTrap
from ._host import OutputOverflow
from .errors import FuelExhausted, GuestCrash, OutputLimitExceeded, TimeoutExceeded
from .result import Result


class InterpreterState(enum.Enum):
    """Whether the Sandbox's interpreter can run code (closing is separate: see close())."""

    ALIVE = "alive"
    STOPPED = "stopped"  # a run was stopped by a hard limit or a crash: the interpreter's state is lost
    RESET_FAILED = "reset failed"  # reset() could not start a new interpreter


def start_error(fault: GuestFault) -> GuestCrash:
    """The error for an interpreter that failed while it started."""
    if isinstance(fault, GuestTrap) and fault.code == wasmtime.TrapCode.INTERRUPT:
        return GuestCrash(f"the interpreter failed to start: the image did not finish starting within "
                          f"{_engine.STARTUP_TIMEOUT:g} s")
    if isinstance(fault, GuestTrap) and fault.code == wasmtime.TrapCode.OUT_OF_FUEL:
        return GuestCrash(f"the interpreter failed to start: the image used more than {_engine.STARTUP_FUEL} "
                          f"fuel starting")
    return GuestCrash(f"the interpreter failed to start: {fault}")


def run_error(fault: GuestFault, host_error: BaseException | None, partial: Result, *, fuel: int | None,
              max_output: int | None, timeout_message: Callable[[], str]) -> BaseException:
    """The error for a guest that `fault` stopped; `host_error` is what a host import raised first
    in the call, if anything (the trap then only unwound the guest)."""
    if isinstance(host_error, OutputOverflow):
        return OutputLimitExceeded(
            f"the guest wrote more than max_output={max_output} bytes to stdout and stderr", partial)
    if host_error is not None and not isinstance(host_error, Exception):
        return host_error  # KeyboardInterrupt or SystemExit in a host function: pass it on
    if isinstance(host_error, GuestBufferError):  # (found in a host import: the guest's fault, not the host's)
        fault = host_error
    if isinstance(fault, GuestBufferError):
        return GuestCrash(f"the interpreter failed: {fault}")
    if host_error is not None:
        error = GuestCrash(f"the host failed while serving the guest: {host_error!r}")
        error.__cause__ = host_error
        return error
    assert isinstance(fault, GuestTrap)
    code = fault.code
    if code == wasmtime.TrapCode.OUT_OF_FUEL:
        return FuelExhausted(f"the run used all of its fuel ({fuel})", partial)
    if code == wasmtime.TrapCode.INTERRUPT:
        return TimeoutExceeded(f"{timeout_message()} and did not stop when interrupted, so it was killed", partial)
    if code == wasmtime.TrapCode.STACK_OVERFLOW:
        return GuestCrash("the interpreter overflowed the wasm stack")
    if fault.exit_status is not None:
        return GuestCrash(f"the interpreter aborted (exit status {fault.exit_status})")
    return GuestCrash(f"the interpreter trapped: {trap_reason(fault)}")


def trap_reason(trap: GuestTrap) -> str:
    """A trap's code and reason, without wasmtime's backtrace lines."""
    text = str(trap)
    lines = [line.strip() for line in text.splitlines()]
    reason = next((line for line in reversed(lines) if line and not line.startswith(("0:", "error while executing"))
                   and "wasm backtrace" not in line and not line[:1].isdigit()), "")
    code = trap.code
    parts = [f"trap code {code.name}" if code is not None else "", reason or (lines[0] if lines else "")]
    return ": ".join(p for p in parts if p) or "unknown trap"
