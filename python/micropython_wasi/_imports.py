"""The host imports: how the guest's calls reach the object serving it.

Every import of the image lands in one C callback, which dispatches to the
handler serving the guest on the calling thread (a guest runs on the thread
that called into it). A handler serves only while it is set with serve(): an
import called at any other time traps.
"""

from __future__ import annotations

import threading
from typing import Any, Protocol

import wasmtime

from . import _abi, _wasmtime_private as _wp


class HostHandler(Protocol):
    """What serves the imports of a running guest (see _host.py).

    `ctx` is the caller's store context, for reading and writing the guest's
    memory during the call. An exception raised by a method stops the guest
    (a trap) and is kept in `host_error` (the first one, if several).
    """

    host_error: BaseException | None

    def host_write(self, ctx: Any, stream: int, ptr: int, length: int) -> None: ...
    def host_read(self, ctx: Any, ptr: int, length: int) -> int: ...
    def host_call(self, ctx: Any, name_ptr: int, name_len: int, ptr: int, length: int) -> int: ...
    def host_reply(self, ctx: Any, ptr: int, length: int) -> None: ...
    def host_exception(self, ctx: Any, ptr: int, length: int) -> None: ...


_current = threading.local()


def current_handler() -> HostHandler | None:
    """The handler serving a guest on this thread, if any."""
    return getattr(_current, "handler", None)


def serve(handler: HostHandler | None) -> HostHandler | None:
    """Make `handler` serve the imports of guests on this thread; returns the one it replaces.

    (A run serves its handler, then restores the previous one: serve(previous).)
    """
    previous = getattr(_current, "handler", None)
    _current.handler = handler
    return previous


_NAMES = list(_abi.IMPORTS)  # the callback's `env` is an index in this list
_MASK32 = 0xFFFFFFFF


@_wp.unchecked_callback  # type: ignore[untyped-decorator]
def _host_import(env: int | None, caller: Any, args: Any, nargs: int) -> int:
    try:
        handler = getattr(_current, "handler", None)
        if handler is None:
            return _wp.new_trap("micropython_wasi: host import called outside a run")
        index = env or 0
        ctx = _wp.caller_context(caller)
        if index == 0:  # write
            handler.host_write(ctx, args[0].i32, args[1].i32 & _MASK32, args[2].i32 & _MASK32)
        elif index == 1:  # read
            args[0].i32 = handler.host_read(ctx, args[0].i32 & _MASK32, args[1].i32 & _MASK32)
        elif index == 2:  # call
            args[0].i32 = handler.host_call(ctx, args[0].i32 & _MASK32, args[1].i32 & _MASK32,
                                            args[2].i32 & _MASK32, args[3].i32 & _MASK32)
        elif index == 3:  # reply
            handler.host_reply(ctx, args[0].i32 & _MASK32, args[1].i32 & _MASK32)
        else:  # exception
            handler.host_exception(ctx, args[0].i32 & _MASK32, args[1].i32 & _MASK32)
        return 0
    except BaseException as exc:  # noqa: BLE001 - nothing may escape into wasmtime
        handler = getattr(_current, "handler", None)
        if handler is not None and getattr(handler, "host_error", None) is None:
            handler.host_error = exc
        return _wp.new_trap(f"micropython_wasi: host import failed: {type(exc).__name__}")


assert _NAMES == ["write", "read", "call", "reply", "exception"]  # the order _host_import dispatches in


def define_imports(linker: wasmtime.Linker) -> None:
    """Define the image's imports in the linker."""
    i32 = wasmtime.ValType.i32()
    for index, name in enumerate(_NAMES):
        params, results = _abi.IMPORTS[name]
        functype = wasmtime.FuncType([i32] * params, [i32] * results)
        _wp.define_unchecked(linker, _abi.IMPORT_MODULE, name, functype, _host_import, index)
