"""The guest's console on our terminal: streamed output, interruptible input, tty modes, Ctrl-C."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from ._abi import STREAM_CONSOLE_MODE, STREAM_STDERR


class Console:
    """The guest's console: output streamed to our stdout/stderr, input from our stdin.

    Input can be interrupted (Ctrl-C while the guest waits for a key), which
    the guest reads as Ctrl-C, as MicroPython's line editor expects.
    """

    def __init__(self) -> None:
        self.out = sys.stdout.buffer
        self.err = sys.stderr.buffer
        self.reading = False
        self.raw = False
        self.terminal: Terminal | None = None
        self._pending = b""  # read from stdin, not yet passed to the guest
        self._last_cr = False
        self._wake_r, self._wake_w = os.pipe() if os.name == "posix" else (-1, -1)

    def write(self, stream: int, data: bytes) -> None:
        if stream == STREAM_CONSOLE_MODE:
            if self.terminal is not None:
                if data == b"o":
                    # Code starts running: drop the rest of the line ending
                    # that came with it (see Terminal).
                    self._pending = self._pending.lstrip(b"\r\n")
                self.terminal.switch(data)
            return
        if self.raw:
            # The terminal is raw (no output processing), as MicroPython's line
            # editor needs: end lines with CR LF ourselves, as a cooked
            # terminal would for program output.
            data = self._crlf(data)
        target = self.err if stream == STREAM_STDERR else self.out
        target.write(data)
        target.flush()

    def _crlf(self, data: bytes) -> bytes:
        if not data:
            return data
        out = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        if self._last_cr and data[:1] == b"\n":
            out = out[1:]
        self._last_cr = data[-1:] == b"\r"
        return out

    def read(self, size: int) -> bytes:
        """Up to `size` bytes of stdin; everything stdin holds is read and kept for later calls."""
        self.out.flush()
        if self._pending:
            data, self._pending = self._pending[:size], self._pending[size:]
            return data
        self.reading = True
        try:
            if self._wake_r >= 0:
                import select

                ready, _, _ = select.select([0, self._wake_r], [], [])
                if self._wake_r in ready:
                    os.read(self._wake_r, 64)
                    return b"\x03"
            data = os.read(0, max(size, 4096))
        except OSError:
            return b""
        finally:
            self.reading = False
        data, self._pending = data[:size], data[size:]
        return data

    def wake(self) -> None:
        if self._wake_w >= 0:
            os.write(self._wake_w, b"x")


class Terminal:
    """The terminal on stdin, switched as the unix port switches it for its REPL.

    Raw while MicroPython's line editor reads (no echo, no line buffering, no
    signals: Ctrl-C, Ctrl-D and Ctrl-E are keys for the editor), the original
    mode while code runs (Ctrl-C interrupts it). The guest says when to
    switch. When code starts running, the rest of the line ending that came
    with it is dropped (the newline after the Ctrl-D that ends paste mode,
    the LF of a CR LF), as the unix port's switch drops it; unlike the unix
    port, which drops all unread input at each switch, input typed ahead or
    while code runs is kept: a slow guest loses no keystrokes.
    """

    def __init__(self, termios: Any, original: list[Any]) -> None:
        self._termios = termios
        self.original = original
        raw = termios.tcgetattr(0)
        raw[0] &= ~(termios.BRKINT | termios.ICRNL | termios.INPCK | termios.ISTRIP | termios.IXON)
        raw[2] = (raw[2] & ~(termios.CSIZE | termios.PARENB)) | termios.CS8
        raw[3] = 0
        raw[6][termios.VMIN] = 1
        raw[6][termios.VTIME] = 0
        self._raw = raw

    @classmethod
    def open(cls) -> Terminal | None:
        try:
            import termios
        except ImportError:
            return None
        try:
            return cls(termios, termios.tcgetattr(0))
        except termios.error:
            return None

    def switch(self, mode: bytes) -> None:
        termios = self._termios
        try:
            termios.tcsetattr(0, termios.TCSADRAIN, self._raw if mode == b"r" else self.original)
        except termios.error:
            pass

    def restore(self) -> None:
        self.switch(b"o")


def raw_tty() -> Callable[[], None] | None:
    """Put the terminal on stdin in raw mode (signals still on); returns the undo function."""
    try:
        import termios
    except ImportError:
        return None
    fd = 0
    try:
        old = termios.tcgetattr(fd)
    except termios.error:
        return None
    new = termios.tcgetattr(fd)
    new[0] &= ~(termios.BRKINT | termios.ICRNL | termios.INPCK | termios.ISTRIP | termios.IXON)
    new[1] = 0
    new[2] = (new[2] & ~(termios.CSIZE | termios.PARENB)) | termios.CS8
    new[3] = termios.ISIG  # no echo, no line buffering: MicroPython's line editor does that
    new[6][termios.VMIN] = 1
    new[6][termios.VTIME] = 0
    termios.tcsetattr(fd, termios.TCSADRAIN, new)

    def restore() -> None:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)

    return restore


def in_worker(sandbox: Any, console: Console, fn: Callable[[], Any]) -> Any:
    """Run fn in a worker thread so that Ctrl-C here can interrupt the guest.

    Ctrl-C raises KeyboardInterrupt in the guest (or, while it waits for
    input, reads as Ctrl-C); a third Ctrl-C kills the process.
    """
    import signal

    outcome: dict[str, Any] = {}
    done = threading.Event()
    interrupts = 0

    def work() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            outcome["error"] = exc
        finally:
            done.set()

    def on_sigint(signum: int, frame: Any) -> None:
        nonlocal interrupts
        interrupts += 1
        if interrupts >= 3:
            sys.stderr.write("\nmicropython-wasi: killed\n")
            sys.stderr.flush()
            os._exit(130)
        if console.reading:
            console.wake()
        else:
            sandbox.interrupt()

    # wasm runs on the calling thread's stack: give the worker room.
    previous_size = threading.stack_size()
    try:
        threading.stack_size(16 * 1024 * 1024)
    except (ValueError, RuntimeError):
        pass
    worker = threading.Thread(target=work, name="micropython-wasi-guest", daemon=True)
    try:
        previous_handler = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread: no Ctrl-C handling
        previous_handler = None
    try:
        worker.start()
        threading.stack_size(previous_size)
        while not done.wait(0.25):
            if console.reading:
                interrupts = 0
    finally:
        if previous_handler is not None:
            signal.signal(signal.SIGINT, previous_handler)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
