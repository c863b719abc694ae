"""Deterministic sandboxes: a virtual clock and seeded randomness in place of WASI's.

A Sandbox made with deterministic=True (or clock= / random_seed=) runs on a
runtime whose linker replaces the WASI imports through which the guest sees
time and randomness (clock_time_get, poll_oneoff, random_get) with the ones
below. They serve the World of the Sandbox running on the calling thread
(Host.world); with no World (a Sandbox starting) they behave as WASI's.

The virtual clock starts at a fixed time and advances only by what the
program does: TICK_NS per reading of a clock (the interpreter reads its clock
every 256 bytecode jumps, so this counts work done) and the length of each
sleep, which returns at once. Random bytes are BLAKE2b in counter mode, keyed
by the seed. A World's state is a few integers, which travel in snapshots.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import struct
import time
from typing import Any

import wasmtime

from . import _wasmtime_private as _wp
from ._imports import current_handler
from .errors import OptionError

DEFAULT_EPOCH = 946684800.0
"""Where the virtual clock starts with deterministic=True: 2000-01-01T00:00:00Z."""
TICK_NS = 10_000
"""Virtual nanoseconds a clock reading takes (about what 256 bytecodes take on a desktop machine)."""

_REALTIME = 0
_ERRNO_FAULT = 21
_ERRNO_INVAL = 28
_ERRNO_NOTSUP = 58
_BLOCK = 64  # bytes of random data per BLAKE2b call
_SUBSCRIPTION = 48  # sizes in WASI preview 1
_EVENT = 32


class World:
    """The time and randomness one deterministic Sandbox's guest sees."""

    __slots__ = ("epoch_ns", "clock_ns", "seed", "position")

    def __init__(self, clock: float | None, seed: int | None) -> None:
        self.epoch_ns = None if clock is None else int(clock * 1e9)  # None: the real clock
        self.clock_ns = 0  # virtual time since the epoch
        self.seed = seed  # None: the host's randomness
        self.position = 0  # random bytes handed out so far

    @staticmethod
    def from_options(deterministic: Any, clock: Any, random_seed: Any) -> World | None:
        if not isinstance(deterministic, bool):
            raise OptionError(f"deterministic must be True or False, got {deterministic!r}")
        if clock is not None and (isinstance(clock, bool) or not isinstance(clock, (int, float))
                                  or not 0 <= clock < 2**62 / 1e9):
            raise OptionError(f"clock must be a start time in seconds since 1970 (>= 0), or None; got {clock!r}")
        if random_seed is not None and (isinstance(random_seed, bool) or not isinstance(random_seed, int)
                                        or not 0 <= random_seed < 2**256):
            raise OptionError(f"random_seed must be an int in [0, 2**256), or None; got {random_seed!r}")
        if deterministic:
            clock = DEFAULT_EPOCH if clock is None else clock
            random_seed = 0 if random_seed is None else random_seed
        if clock is None and random_seed is None:
            return None
        return World(clock, random_seed)

    def copy(self) -> World:
        world = World(None, self.seed)
        world.epoch_ns, world.clock_ns, world.position = self.epoch_ns, self.clock_ns, self.position
        return world

    def state(self) -> dict[str, int | None]:
        return {"epoch_ns": self.epoch_ns, "clock_ns": self.clock_ns, "seed": self.seed, "position": self.position}

    def load(self, state: dict[str, int | None]) -> None:
        """Continue a snapshot's clock and random stream (checked by _snapshot.py), where this World has them too."""
        if self.epoch_ns is not None and state["epoch_ns"] is not None:
            self.epoch_ns, self.clock_ns = state["epoch_ns"], int(state["clock_ns"] or 0)
        if self.seed is not None and state["seed"] is not None:
            self.seed, self.position = state["seed"], int(state["position"] or 0)

    # -- what the imports serve --

    def now(self, clock_id: int) -> int:
        if self.epoch_ns is None:
            return time.time_ns() if clock_id == _REALTIME else time.monotonic_ns()
        self.clock_ns += TICK_NS
        return self.clock_ns + (self.epoch_ns if clock_id == _REALTIME else 0)

    def sleep_until(self, deadline_ns: int, clock_id: int) -> None:
        """Advance (or wait) until the clock `clock_id` reads `deadline_ns`."""
        if self.epoch_ns is None:
            delay = deadline_ns - self.now(clock_id)
            if delay > 0:
                time.sleep(delay / 1e9)
            return
        target = deadline_ns - (self.epoch_ns if clock_id == _REALTIME else 0)
        self.clock_ns = max(self.clock_ns, target)

    def random(self, n: int) -> bytes:
        if self.seed is None:
            return os.urandom(n)
        key = self.seed.to_bytes(32, "little")
        first, skip = divmod(self.position, _BLOCK)
        blocks = (skip + n + _BLOCK - 1) // _BLOCK
        stream = b"".join(hashlib.blake2b((first + i).to_bytes(8, "little"), key=key).digest()
                          for i in range(blocks))
        self.position += n
        return stream[skip:skip + n]


_FALLBACK = World(None, None)  # WASI's own behaviour, for calls outside a run


def _world() -> World:
    return getattr(current_handler(), "world", None) or _FALLBACK


def _clock_time_get(memory: tuple[int, int], args: Any) -> int:
    clock_id, out = args[0].i32, args[2].i32 & 0xFFFFFFFF
    if not 0 <= clock_id <= 3:
        return _ERRNO_INVAL
    if out + 8 > memory[1]:
        return _ERRNO_FAULT
    ctypes.memmove(memory[0] + out, struct.pack("<Q", _world().now(clock_id) & (2**64 - 1)), 8)
    return 0


def _random_get(memory: tuple[int, int], args: Any) -> int:
    buf, length = args[0].i32 & 0xFFFFFFFF, args[1].i32 & 0xFFFFFFFF
    if buf + length > memory[1]:
        return _ERRNO_FAULT
    ctypes.memmove(memory[0] + buf, _world().random(length), length)
    return 0


def _poll_oneoff(memory: tuple[int, int], args: Any) -> int:
    """Clock subscriptions only (sleeps); the guest polls no files."""
    subs, events, count, out_count = (args[i].i32 & 0xFFFFFFFF for i in range(4))
    address, size = memory
    if count == 0:
        return _ERRNO_INVAL
    if subs + count * _SUBSCRIPTION > size or events + count * _EVENT > size or out_count + 4 > size:
        return _ERRNO_FAULT
    raw = ctypes.string_at(address + subs, count * _SUBSCRIPTION)
    world = _world()
    deadlines = []
    for i in range(count):
        userdata, tag, clock_id, timeout, _, flags = struct.unpack_from("<QB7xIxxxxQQH", raw, i * _SUBSCRIPTION)
        if tag != 0:
            return _ERRNO_NOTSUP
        if not 0 <= clock_id <= 3:
            return _ERRNO_INVAL
        deadline = timeout if flags & 1 else world.now(clock_id) + timeout
        deadlines.append((deadline, clock_id, userdata))
    deadline, clock_id, userdata = min(deadlines)
    world.sleep_until(deadline, clock_id)
    fired = struct.pack("<QHB21x", userdata, 0, 0)  # (the earliest subscription's event)
    ctypes.memmove(address + events, fired, len(fired))
    ctypes.memmove(address + out_count, struct.pack("<I", 1), 4)
    return 0


_IMPORTS = [
    ("clock_time_get", [wasmtime.ValType.i32(), wasmtime.ValType.i64(), wasmtime.ValType.i32()], _clock_time_get),
    ("random_get", [wasmtime.ValType.i32()] * 2, _random_get),
    ("poll_oneoff", [wasmtime.ValType.i32()] * 4, _poll_oneoff),
]


@_wp.unchecked_callback  # type: ignore[untyped-decorator]
def _import(env: int | None, caller: Any, args: Any, nargs: int) -> int:
    try:
        memory = _wp.caller_memory(caller)
        if memory is None:
            return _wp.new_trap("micropython_wasi: the guest exports no memory")
        args[0].i32 = _IMPORTS[env or 0][2](memory, args)
        return 0
    except BaseException as exc:  # noqa: BLE001 - nothing may escape into wasmtime
        handler = current_handler()
        if handler is not None and getattr(handler, "host_error", None) is None:
            handler.host_error = exc
        return _wp.new_trap(f"micropython_wasi: host import failed: {type(exc).__name__}")


def define_imports(linker: wasmtime.Linker) -> None:
    """Replace WASI's clock and randomness imports in `linker` (which allows shadowing)."""
    for index, (name, params, _) in enumerate(_IMPORTS):
        functype = wasmtime.FuncType(params, [wasmtime.ValType.i32()])
        _wp.define_unchecked(linker, "wasi_snapshot_preview1", name, functype, _import, index)
