"""The Sandbox as the command line uses it: a console, interpreter options, an exit."""

from __future__ import annotations

import time
from collections.abc import Callable

from . import _engine
from ._guest import GuestTrap
from .errors import SandboxError
from .sandbox import Sandbox


def one_interpreter_per_process() -> None:
    """This process runs one interpreter: no instance pool (it only costs start-up time)."""
    _engine.disable_pooling()


class CommandSandbox(Sandbox):
    """A Sandbox with what the `micropython` command needs beyond the public API."""

    def set_console(self, sink: Callable[[int, bytes], None] | None, source: Callable[[int], bytes] | None) -> None:
        """Stream output to `sink(stream, data)` as it is written (and terminal mode switches,
        on _abi.STREAM_CONSOLE_MODE); read input from `source(size)` instead of a run's stdin."""
        self._host.sink = sink
        self._host.source = source

    def set_option(self, option: int, value: int) -> bool:
        """Set an interpreter option (_abi.OPTION_*: -v, -O, -X compile-only).

        Returns False when the image does not have the option.
        """
        guest = self._usable()
        try:
            return guest.set_option(option, value)
        except GuestTrap as trap:
            raise self._stopped(trap, time.perf_counter()) from None

    def finish(self) -> None:
        """End the interpreter as the `micropython` command does when it exits.

        Runs the function registered with sys.atexit() (its output goes where a
        run's does), prints memory statistics after -v, runs finalisers, then
        closes the Sandbox.
        """
        guest = self._usable()
        if not self._lock.acquire(blocking=False):
            raise SandboxError("the Sandbox is running code; it cannot finish now")
        try:
            self._host.begin(guest, b"")
            self._call_guest(guest, guest.deinit)
        finally:
            self._unlock()
            self.close()
