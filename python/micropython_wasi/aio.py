"""asyncio API: AsyncSandbox and run_async().

A guest run blocks the thread that runs it, so an AsyncSandbox runs its guest
in a worker thread while the event loop stays free: many sessions run
concurrently in one loop. Host functions may be coroutine functions (`async
def`): the guest calls them like any other and waits while they run on the
event loop that awaits the run. Cancelling the awaiting task interrupts the
guest softly (KeyboardInterrupt in the guest; its state is kept).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import inspect
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ._options import HostFunction, grace
from .errors import OptionError
from .result import Result
from .sandbox import Sandbox

__all__ = ["AsyncSandbox", "run_async"]

MAX_THREADS = 256
"""Worker threads that run guests; more concurrent runs wait for one to be free."""
_INTERRUPT_RETRY = 0.005  # seconds between tries to interrupt a run that had not started yet

_executor: concurrent.futures.ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
_T = TypeVar("_T")


def _workers() -> concurrent.futures.ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = concurrent.futures.ThreadPoolExecutor(MAX_THREADS, thread_name_prefix="micropython-wasi-aio")
        return _executor


class _Run:
    """One run in progress: its event loop, and whether it was cancelled (shared with the worker thread)."""

    __slots__ = ("loop", "cancelled", "host_calls", "deadline")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.cancelled = False
        self.host_calls: set[concurrent.futures.Future[Any]] = set()
        self.deadline: float | None = None  # when an async host call gives up (set as the guest starts)


class AsyncSandbox:
    """A Sandbox driven from asyncio: `await box.run(source)`.

    Takes the options of Sandbox. Host functions may be plain functions or
    coroutine functions; a coroutine function runs on the event loop that
    awaits the run, so it can use that loop's clients and connections.

    Runs of one AsyncSandbox take turns (a second run waits for the first);
    runs of different ones proceed concurrently, each in a worker thread.
    """

    def __init__(self, *, host_functions: Mapping[str, HostFunction] | None = None, **options: Any) -> None:
        if host_functions is not None and not isinstance(host_functions, Mapping):
            raise OptionError(f"host_functions must be a mapping of name to callable, got {type(host_functions).__name__}")
        self._functions: dict[str, HostFunction] = dict(host_functions or {})
        self._run: _Run | None = None
        self._turn: asyncio.Lock | None = None
        self._turn_loop: asyncio.AbstractEventLoop | None = None
        bridged = {name: self._bridge(name, fn) for name, fn in self._functions.items()}
        self._sandbox = Sandbox(host_functions=bridged, **options)

    @classmethod
    async def create(cls, *, host_functions: Mapping[str, HostFunction] | None = None,
                     **options: Any) -> AsyncSandbox:
        """Make an AsyncSandbox in a worker thread: starting an interpreter can take a
        while the first time in a process (the image is loaded), which would hold up the loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_workers(), lambda: cls(host_functions=host_functions, **options))

    @property
    def sandbox(self) -> Sandbox:
        """The Sandbox this drives (its options, `alive`, `closed`)."""
        return self._sandbox

    @property
    def alive(self) -> bool:
        """True while the interpreter can run code (see Sandbox.alive)."""
        return self._sandbox.alive

    @property
    def closed(self) -> bool:
        return self._sandbox.closed

    @property
    def host_functions(self) -> dict[str, HostFunction]:
        """The registered host functions, as given (a copy)."""
        return dict(self._functions)

    def __repr__(self) -> str:
        return f"<AsyncSandbox of {self._sandbox!r}>"

    # -- host functions ---------------------------------------------------

    def _bridge(self, name: str, fn: HostFunction) -> HostFunction:
        """What the Sandbox calls for `fn`: fn itself, or for a coroutine function a call that
        runs it on the awaiting loop and waits for it (in the worker thread)."""
        if not callable(fn):
            raise OptionError(f"host function {name!r} is not callable: {fn!r}")
        if not inspect.iscoroutinefunction(fn):
            return fn

        def call_on_loop(*args: Any, **kwargs: Any) -> Any:
            run = self._run
            if run is None or run.loop.is_closed():
                raise RuntimeError(f"async host function {name!r} can only be called during AsyncSandbox.run()")
            future = asyncio.run_coroutine_threadsafe(fn(*args, **kwargs), run.loop)
            run.host_calls.add(future)
            if run.cancelled:  # (checked after adding: a cancel() either sees the future or set the flag first)
                future.cancel()
            try:
                wait = None if run.deadline is None else max(0.0, run.deadline - time.perf_counter())
                return future.result(wait)
            except concurrent.futures.TimeoutError:
                future.cancel()
                raise TimeoutError(f"host function {name!r} did not finish within the run's timeout") from None
            except concurrent.futures.CancelledError:
                # (The guest gets its KeyboardInterrupt as this returns; this names the function, should it
                # catch that.)
                raise RuntimeError(f"host function {name!r} was cancelled") from None
            finally:
                run.host_calls.discard(future)

        call_on_loop.__name__ = name
        return call_on_loop

    def register_function(self, fn: HostFunction, name: str | None = None) -> HostFunction:
        """Make `fn` (a function or coroutine function) callable from the guest; see Sandbox.register_function."""
        if name is None:
            name = getattr(fn, "__name__", None)
            if not isinstance(name, str) or name == "<lambda>":
                raise OptionError("this callable has no usable __name__: pass name=...")
        self._sandbox.register_function(self._bridge(name, fn), name)
        self._functions[name] = fn
        return fn

    # -- running code -----------------------------------------------------

    async def run(self, source: str, *, stdin: str | bytes | None = None, value: bool = False) -> Result:
        """Execute source, as Sandbox.run() does, in a worker thread; see the module's docstring for cancellation."""
        return await self._call(self._sandbox.run, source, stdin=stdin, value=value)

    async def run_file(self, path: str, *, stdin: str | bytes | None = None) -> Result:
        """Execute a file the guest can see, as Sandbox.run_file() does."""
        return await self._call(self._sandbox.run_file, path, stdin=stdin)

    async def run_module(self, name: str, *, stdin: str | bytes | None = None) -> Result:
        """Import a module as __main__, as Sandbox.run_module() does."""
        return await self._call(self._sandbox.run_module, name, stdin=stdin)

    async def reset(self) -> None:
        """Replace the interpreter with a fresh one (see Sandbox.reset())."""
        await self._call(self._sandbox.reset)

    def interrupt(self) -> bool:
        """Raise KeyboardInterrupt in the running guest (see Sandbox.interrupt())."""
        return self._sandbox.interrupt()

    def close(self) -> None:
        """Release the interpreter (a run in progress is interrupted first; see Sandbox.close())."""
        self._sandbox.close()

    async def __aenter__(self) -> AsyncSandbox:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self.close()

    async def _call(self, method: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        loop = asyncio.get_running_loop()
        if self._turn is None or self._turn_loop is not loop:  # (a lock serves one loop)
            self._turn, self._turn_loop = asyncio.Lock(), loop
        async with self._turn:
            run = _Run(loop)
            timeout = self._sandbox.timeout

            def work() -> _T:
                if run.cancelled:
                    raise asyncio.CancelledError()
                if timeout is not None:
                    run.deadline = time.perf_counter() + timeout + grace(timeout)
                return method(*args, **kwargs)

            self._run = run
            try:
                future = loop.run_in_executor(_workers(), work)
                try:
                    return await asyncio.shield(future)
                except asyncio.CancelledError:
                    if not future.done():
                        await self._cancel(run, future)
                    raise
            finally:
                self._run = None

    async def _cancel(self, run: _Run, future: asyncio.Future[Any]) -> None:
        """Interrupt the run softly and wait for its worker to finish (further cancels do not cut this short).

        The guest gets KeyboardInterrupt (a host function in flight finishes
        first; an async one is cancelled); a guest that ignores it is stopped
        by the Sandbox's time limit, as a run that ignores its soft timeout is.
        """
        run.cancelled = True
        # (The interrupt first: a cancelled host call returns, and the guest must see it then.)
        interrupted = self._sandbox.interrupt()
        for call in list(run.host_calls):
            call.cancel()
        while not future.done():
            try:
                # (Until the guest has started, interrupt() finds nothing to interrupt: try again.)
                await asyncio.wait({future}, timeout=None if interrupted else _INTERRUPT_RETRY)
            except asyncio.CancelledError:
                pass
            if not interrupted and not future.done():
                interrupted = self._sandbox.interrupt()
        if not future.cancelled():
            future.exception()  # (retrieved: the task reports CancelledError, not the run's outcome)


async def run_async(source: str, *, stdin: str | bytes | None = None, value: bool = False,
                    **options: Any) -> Result:
    """Run source in a fresh interpreter without blocking the event loop; see run() and AsyncSandbox."""
    box = await AsyncSandbox.create(**options)
    try:
        return await box.run(source, stdin=stdin, value=value)
    finally:
        box.close()
