"""Engines (one per configuration, process-wide), their instance pools, and the epoch ticker."""

from __future__ import annotations

import os
import threading
import time

import wasmtime

from . import _abi, _wasmtime_private as _wp

MAX_WASM_STACK = _abi.ENGINE_STACK
"""The wasm stack of the interpreter's C code (the port's recursion limits keep well inside it)."""

# -- epochs: the hard time limit -------------------------------------------------

EPOCH_TICK = 0.01
"""Seconds between epoch ticks while a run with a time limit is in progress."""
NO_DEADLINE = 2**62
# Fuel for the host's own calls into the guest (start-up, source text,
# registrations) when fuel is metered: a run's budget covers only the run.
UNMETERED_FUEL = 2**63 - 1
# Starting an interpreter (the image's start function, `_initialize`,
# `mpw_init`, registrations) is bounded too, so that an image that loops there
# cannot hang its host: by the hard time limit where the engine has epochs,
# and by fuel where it meters fuel. Both are far above what a real start costs.
STARTUP_TIMEOUT = 10.0
STARTUP_FUEL = 10**10


class _EpochTicker:
    """Advances every engine's epoch while runs with a time limit are in progress.

    One daemon thread, started on first use. It ticks while some timed run is
    in progress, keeps ticking for IDLE_TICKS after the last one ends (so that
    back-to-back runs do not have to wake it), then sleeps until the next. A
    store whose deadline (in ticks) passes traps at its next function entry or
    loop iteration, whatever the guest is doing.
    """

    IDLE_TICKS = 100

    def __init__(self) -> None:
        self._engines: list[wasmtime.Engine] = []
        self._reset()

    def _reset(self) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._active = 0
        self._sleeping = False
        self._thread: threading.Thread | None = None

    def after_fork(self) -> None:
        """In a forked child: no thread ticks; start a new one when needed."""
        self._reset()

    def add_engine(self, engine: wasmtime.Engine) -> None:
        with self._cond:
            self._engines.append(engine)

    def begin(self) -> None:
        with self._cond:
            self._active += 1
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="micropython-wasi-epoch", daemon=True)
                self._thread.start()
            elif self._sleeping:
                self._cond.notify()

    def end(self) -> None:
        with self._cond:
            self._active -= 1

    def _run(self) -> None:
        idle = 0
        while True:
            with self._cond:
                if self._active:
                    idle = 0
                else:
                    idle += 1
                    if idle > self.IDLE_TICKS:
                        self._sleeping = True
                        while not self._active:
                            self._cond.wait()
                        self._sleeping = False
                        idle = 0
                engines = list(self._engines)
            time.sleep(EPOCH_TICK)
            for engine in engines:
                _wp.increment_epoch(engine)


ticker = _EpochTicker()

if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=ticker.after_fork)


def deadline_ticks(seconds: float) -> int:
    """Epoch ticks that cover at least `seconds`."""
    return int(seconds / EPOCH_TICK) + 2


# -- engines ----------------------------------------------------------------------

POOL_SIZE = 16
"""Interpreters per engine whose memory comes from wasmtime's pooling allocator.

A pooled instance starts and ends faster (its memory slot stays mapped and
is reset in place); beyond this many live interpreters, new ones use ordinary
allocation. Each slot reserves (but does not commit) 8 GiB of address space.
MICROPY_WASI_POOL_SIZE overrides this; 0 turns pooling off."""
POOL_KEEP_RESIDENT = 1024 * 1024
POOL_WARM_SLOTS = 16

lock = threading.RLock()
"""Held while engines and compiled images are made (see _runtime.py)."""
_engines: dict[tuple[bool, bool, bool], wasmtime.Engine | None] = {}
_pooling = True


def disable_pooling() -> None:
    """Make engines made from now on allocate on demand (a process with one interpreter)."""
    global _pooling
    _pooling = False


def _pool_size() -> int:
    if not _pooling:
        return 0
    try:
        return max(0, int(os.environ.get("MICROPY_WASI_POOL_SIZE", POOL_SIZE)))
    except ValueError:
        return POOL_SIZE


def engine_settings(fuel: bool, epoch: bool = True) -> bytes:
    """The settings compiled code depends on, for cache keys."""
    return b"exceptions,fixed-memory,epoch=%d,fuel=%d,stack=%d" % (epoch, fuel, MAX_WASM_STACK)


def _make_config(fuel: bool, epoch: bool = True) -> wasmtime.Config:
    # Epoch interruption (the hard time limit) costs up to a fifth of the
    # interpreter's speed in loops: engines for runs without a time limit go
    # without it.
    config = wasmtime.Config()
    config.wasm_exceptions = True
    config.epoch_interruption = epoch
    config.consume_fuel = fuel
    config.max_wasm_stack = MAX_WASM_STACK
    # Linear memory stays where it is when it grows (see Guest.prepare_interrupt).
    config.memory_may_move = False
    return config


def get_engine(fuel: bool, pooled: bool, epoch: bool = True) -> wasmtime.Engine | None:
    """The process-wide engine for these settings (None: a pooled engine is unavailable)."""
    key = (fuel, pooled, epoch)
    with lock:
        if key not in _engines:
            engine: wasmtime.Engine | None
            if pooled:
                slots = _pool_size()
                try:
                    if slots > 0:
                        config = _make_config(fuel, epoch)
                        _wp.set_pooling(config, slots, POOL_KEEP_RESIDENT, min(slots, POOL_WARM_SLOTS))
                        engine = wasmtime.Engine(config)
                    else:
                        engine = None
                except Exception:
                    engine = None  # e.g. address space limited: allocate on demand instead
            else:
                engine = wasmtime.Engine(_make_config(fuel, epoch))
            _engines[key] = engine
            if engine is not None and epoch:
                ticker.add_engine(engine)
        return _engines[key]
