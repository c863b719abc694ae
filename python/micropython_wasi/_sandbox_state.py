"""Sandbox's snapshot(), restore(), from_snapshot() and fork(): moving an interpreter's state.

A mixin of Sandbox (sandbox.py), kept apart so that each file holds one
concern; the snapshot format itself is _snapshot.py.
"""

from __future__ import annotations

import copy
import ctypes
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import _snapshot
from ._guest import Guest, GuestTrap
from ._host import Host
from ._options import MEMORY_RESERVE
from .errors import SandboxClosedError, SnapshotError

if TYPE_CHECKING:
    from .sandbox import Sandbox


class StateTransfer:
    """The state-moving methods of Sandbox (they use its attributes: see sandbox.py)."""

    if TYPE_CHECKING:  # what these methods use of Sandbox
        _guest: Guest | None
        _host: Host
        _host_functions: dict[str, Any]
        _lock: threading.Lock
        _closed: bool
        _runtime: Any
        _snapshot_key: bytes | None
        _world: Any
        _timeout: float | None
        _max_output: int | None
        _max_payload: int
        memory_limit: int

        def _usable(self) -> Guest: ...
        def _unlock(self) -> None: ...
        def _adopt(self, guest: Guest) -> None: ...
        def _register(self, guest: Guest, name: str) -> None: ...
        def _wasi_config(self) -> Any: ...

    def snapshot(self, *, compress: bool = False) -> bytes:
        """The interpreter's whole state as bytes, for restore() or from_snapshot() (between runs only).

        Holds memory that differs from a new interpreter's, the host function
        names and a deterministic Sandbox's clock; signed if snapshot_key is set.
        `compress` zlib-compresses it (smaller; restoring takes longer).
        """
        guest = self._usable()
        _snapshot.check_runtime(self._runtime)
        if not self._lock.acquire(blocking=False):
            raise SnapshotError("cannot snapshot the Sandbox while it runs code: take the snapshot between runs")
        try:
            world = None if self._world is None else self._world.state()
            return _snapshot.encode(guest, self._runtime, list(self._host_functions), world,
                                    self._snapshot_key, compress)
        finally:
            self._unlock()

    def restore(self, data: bytes) -> None:
        """Replace the interpreter with the one in a snapshot (of the same image); all or nothing.

        The Sandbox keeps its options; it must provide every host function the
        snapshot names (its others are registered too). A bad snapshot raises
        SnapshotError and leaves the Sandbox as it was.
        """
        if self._closed:
            raise SandboxClosedError("the Sandbox is closed")
        _snapshot.check_runtime(self._runtime)
        if not self._lock.acquire(blocking=False):
            raise SnapshotError("cannot restore a snapshot while the Sandbox runs code")
        try:
            snap = _snapshot.decode(data, self._runtime, key=self._snapshot_key, memory_limit=self.memory_limit)
            missing = [name for name in snap.functions if name not in self._host_functions]
            if missing:
                raise SnapshotError(f"the snapshot's interpreter has host functions this Sandbox does not provide: "
                                    f"{', '.join(missing)} (pass them in host_functions=)")
            self._adopt(self._copy_guest(snap.memory_size, lambda guest: _snapshot.write(guest, snap),
                                         snap.functions))
            if self._world is not None and snap.world is not None:
                self._world.load(snap.world)
        finally:
            self._unlock()

    @classmethod
    def from_snapshot(cls: type[Sandbox], data: bytes, **options: Any) -> Sandbox:
        """A new Sandbox (with these options, as Sandbox() takes them) restored from a snapshot."""
        sandbox = cls(**options)
        try:
            sandbox.restore(data)
        except BaseException:
            sandbox.close()
            raise
        return sandbox

    def fork(self) -> Sandbox:
        """A new Sandbox with the same options, host functions and a copy of this one's state (between runs)."""
        guest = self._usable()
        _snapshot.check_runtime(self._runtime)
        if not self._lock.acquire(blocking=False):
            raise SnapshotError("cannot fork the Sandbox while it runs code")
        try:
            child = copy.copy(self)
            child._lock = threading.Lock()
            child._guest = None
            child._host_functions = dict(self._host_functions)
            child._world = None if self._world is None else self._world.copy()
            child._host = Host(child._host_functions, timeout=self._timeout, max_output=self._max_output,
                               max_payload=self._max_payload)
            child._host.world = child._world
            size, source = guest.memory_size(), guest.memory_address()
            child._adopt(child._copy_guest(size, lambda new: ctypes.memmove(new.memory_address(), source, size),
                                           list(self._host_functions)))
            return child
        finally:
            self._unlock()

    def _copy_guest(self, size: int, fill: Callable[[Guest], object], functions: list[str]) -> Guest:
        """A new instance whose memory `fill` sets (to `size` bytes), adjusted to this Sandbox."""
        guest = Guest(self._runtime, self.memory_limit, self._wasi_config)
        try:
            if not guest.grow_memory(size):
                raise SnapshotError(f"cannot give the interpreter {size} bytes of memory "
                                    f"(memory_limit={self.memory_limit})")
            fill(guest)
            guest.set_heap_max(self.memory_limit - MEMORY_RESERVE)
            for name in functions:
                self._host.longest_name = max(self._host.longest_name, len(name.encode()))
            for name in self._host_functions:
                if name not in functions:
                    self._register(guest, name)
            guest.started()
        except GuestTrap as exc:
            guest.close()
            raise SnapshotError(f"the restored interpreter failed to start: {exc}") from None
        except BaseException:
            guest.close()
            raise
        return guest
