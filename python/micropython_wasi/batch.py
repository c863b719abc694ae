"""Many runs at once: map(), imap_unordered() and an Executor over worker processes.

Each item runs as run() would run it, in a fresh interpreter, in one of the
worker processes (one per core by default). Whatever happens to an item (a
limit, a guest crash, its worker dying) is a status in its BatchResult: running
a batch never raises because of one item.
"""

from __future__ import annotations

import concurrent.futures
import enum
import itertools
import os
import pickle
import queue
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Protocol, Union

from ._pool import WorkerPool
from .errors import (
    FuelExhausted,
    GuestCrash,
    LimitExceeded,
    MemoryLimitExceeded,
    OutputLimitExceeded,
    SandboxError,
    TimeoutExceeded,
)
from .result import GuestException, Result
from .sandbox import run

__all__ = ["BatchResult", "Executor", "Item", "Status", "TaskRunner", "imap_unordered", "map"]

Item = Union[str, Mapping[str, Any]]
"""A source string, or a mapping with "source" and any of run()'s keyword options (stdin, timeout, ...)."""


class Status(str, enum.Enum):
    """How one item of a batch ended."""

    OK = "ok"
    """The program ran to completion (exit status 0)."""
    FAILED = "failed"
    """The program ended with an uncaught exception or a non-zero exit status."""
    TIMEOUT = "timeout"
    MEMORY_LIMIT = "memory_limit"
    FUEL_EXHAUSTED = "fuel_exhausted"
    OUTPUT_LIMIT = "output_limit"
    CRASH = "crash"
    """The interpreter trapped (GuestCrash)."""
    INVALID = "invalid"
    """The item's options were refused (OptionError, MountError, ImageError, a bad stdin...)."""
    WORKER_DIED = "worker_died"
    """The worker process running the item died (it was replaced)."""

    def __str__(self) -> str:
        return self.value


_LIMIT_STATUS: dict[type[LimitExceeded], Status] = {
    TimeoutExceeded: Status.TIMEOUT,
    MemoryLimitExceeded: Status.MEMORY_LIMIT,
    FuelExhausted: Status.FUEL_EXHAUSTED,
    OutputLimitExceeded: Status.OUTPUT_LIMIT,
}


@dataclass(frozen=True)
class BatchResult:
    """The outcome of one item: its index in the batch, a Status, the Result (None when
    the item did not run to a result: crash, invalid, worker died) and, when the status
    is neither OK nor FAILED, `error`: the message of what stopped it."""

    index: int
    status: Status
    result: Result | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is Status.OK

    @property
    def stdout(self) -> str:
        return self.result.stdout if self.result is not None else ""

    @property
    def stderr(self) -> str:
        return self.result.stderr if self.result is not None else ""

    @property
    def exception(self) -> GuestException | None:
        return self.result.exception if self.result is not None else None

    @property
    def exit_code(self) -> int | None:
        return self.result.exit_code if self.result is not None else None

    @property
    def elapsed(self) -> float | None:
        return self.result.elapsed if self.result is not None else None


def run_one(index: int, source: Any, options: Mapping[str, Any]) -> BatchResult:
    """Run one item as run() does; every outcome becomes a BatchResult (this never raises
    for the guest's or the options' sake)."""
    options = dict(options)
    stdin = options.pop("stdin", None)
    try:
        if not isinstance(source, str):
            raise TypeError(f"an item's source must be a str, got {type(source).__name__}")
        result = run(source, stdin=stdin, **options)
    except LimitExceeded as exc:
        return BatchResult(index, _LIMIT_STATUS.get(type(exc), Status.TIMEOUT), exc.result, str(exc))
    except GuestCrash as exc:
        return BatchResult(index, Status.CRASH, None, str(exc))
    except (SandboxError, TypeError, ValueError) as exc:
        return BatchResult(index, Status.INVALID, None, f"{type(exc).__name__}: {exc}")
    return BatchResult(index, Status.OK if result.ok else Status.FAILED, result)


def _run_task(payload: tuple[int, Any, Mapping[str, Any]]) -> BatchResult:
    return run_one(*payload)


def _warm(_: Any) -> None:
    """Load (and, the first time, compile) the bundled image in a new worker."""
    run("pass")


def default_workers(items: int) -> int:
    """One worker process per CPU, but no more than there are items."""
    return max(1, min(os.cpu_count() or 1, items))


def lost_result(payload: tuple[int, Any, Any], message: str) -> BatchResult:
    """The BatchResult of an item whose worker died (or could not take it)."""
    return BatchResult(payload[0], Status.WORKER_DIED, None, message)


class TaskRunner(Protocol):
    """What map(), imap_unordered() and judge() need of an executor: run a module-level
    function on each payload somewhere, returning a Future per payload whose value is
    what the function returned, or lost(payload, message) if it could not run there.
    Executor and micropython_wasi.ray.RayExecutor provide it."""

    def run_tasks(self, fn: Callable[[Any], Any], payloads: Sequence[Any],
                  lost: Callable[[Any, str], Any]) -> list[Future[Any]]: ...


class Executor(concurrent.futures.Executor):
    """A concurrent.futures Executor whose tasks are programs: submit(source, **options)
    returns a Future of a BatchResult. Worker processes (default: one per CPU) keep the
    image loaded; a worker that dies is replaced and its item reported as WORKER_DIED.

    Options given here (run()'s: timeout, memory_limit, fuel, ...) apply to every item;
    those given to submit() or map(), or in an item's mapping, override them.
    """

    def __init__(self, workers: int | None = None, **options: Any) -> None:
        self._options = options
        self._pool = WorkerPool(workers, warm=_warm)
        self._numbers = itertools.count()  # (next() is atomic: submit() is safe from any thread)

    @property
    def workers(self) -> int:
        return self._pool.workers

    @property
    def default_options(self) -> dict[str, Any]:
        """The run options given to Executor(), applied to every item."""
        return dict(self._options)

    @property
    def replaced_workers(self) -> int:
        """How many worker processes died and were replaced."""
        return self._pool.replaced

    def worker_pids(self) -> list[int]:
        """Process ids of the current worker processes."""
        return self._pool.pids()

    def run_tasks(self, fn: Callable[[Any], Any], payloads: Sequence[Any],
                  lost: Callable[[Any, str], Any]) -> list[Future[Any]]:
        return self._pool.submit_many(fn, payloads, lost)

    def submit(self, source: Item, /, **options: Any) -> Future[BatchResult]:  # type: ignore[override]
        """Run one program (a source string, or an item mapping). The Future's result is its
        BatchResult, whose index is the number of items submitted to this Executor before it."""
        merged = {**self._options, **options}
        payload = _payload(next(self._numbers), source, merged)
        check_sendable([payload])
        return self.run_tasks(_run_task, [payload], lost_result)[0]

    def map(self, sources: Iterable[Item], *, timeout: float | None = None,  # type: ignore[override]
            **options: Any) -> Iterator[BatchResult]:
        """Submit every item now; return an iterator of their BatchResults in order (indexes
        count from 0 in this call). timeout: seconds to wait for all of them, as in
        concurrent.futures (TimeoutError). A program's own time limit is the run option
        `timeout`: give it to Executor() or in an item's mapping."""
        merged = {**self._options, **options}
        payloads = [_payload(i, item, merged) for i, item in enumerate(sources)]
        check_sendable(payloads)
        return _in_order(self.run_tasks(_run_task, payloads, lost_result), timeout)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait, cancel_futures=cancel_futures)

    def terminate(self) -> None:
        """Stop the workers now: pending items are cancelled, running ones WORKER_DIED."""
        self._pool.shutdown(True, kill=True)


def check_sendable(payloads: Iterable[tuple[int, Any, Mapping[str, Any]]]) -> None:
    """Raise TypeError, before anything runs, if an item's options cannot be pickled for a
    worker process (e.g. a lambda as a host function)."""
    seen: set[int] = set()
    for index, _, options in payloads:
        if id(options) in seen:
            continue
        seen.add(id(options))
        try:
            pickle.dumps(options)
        except Exception as exc:  # noqa: BLE001 - pickle raises several types
            raise TypeError(f"item {index}: its options cannot be sent to a worker process ({exc}); "
                            f"host functions must be module-level functions") from None


def as_done(futures: list[Future[Any]]) -> Iterator[tuple[int, Any]]:
    """(position, value) of each future as it finishes (cheaper per future than
    concurrent.futures.as_completed, which takes a lock and wakes a waiter for each)."""
    done: queue.SimpleQueue[tuple[int, Future[Any]]] = queue.SimpleQueue()
    for position, future in enumerate(futures):
        future.add_done_callback(lambda f, p=position: done.put((p, f)))  # type: ignore[misc]
    for _ in futures:
        position, future = done.get()
        yield position, future.result()


def _in_order(futures: list[Future[BatchResult]], timeout: float | None) -> Iterator[BatchResult]:
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        for future in futures:
            yield future.result(None if deadline is None else max(0.0, deadline - time.monotonic()))
    finally:
        for future in futures:
            future.cancel()


def _payload(index: int, item: Item, options: Mapping[str, Any]) -> tuple[int, Any, Mapping[str, Any]]:
    if isinstance(item, str):
        return (index, item, options)
    if isinstance(item, Mapping):
        if "source" not in item:
            raise TypeError(f"item {index}: a mapping item needs a 'source' key, got keys {sorted(item)}")
        own = {k: v for k, v in item.items() if k != "source"}
        return (index, item["source"], {**options, **own} if own else options)
    raise TypeError(f"item {index}: expected a source string or a mapping with 'source', "
                    f"got {type(item).__name__}")


class Progress:
    """An optional progress bar (tqdm, from the [progress] extra)."""

    def __init__(self, enabled: bool, total: int, unit: str) -> None:
        self._bar: Any = None
        if not enabled:
            return
        try:
            from tqdm.auto import tqdm  # type: ignore[import-untyped]
        except ImportError:
            raise ImportError("progress=True needs tqdm: pip install 'micropython-wasi[progress]'") from None
        self._bar = tqdm(total=total, unit=unit)

    def update(self, n: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def imap_unordered(sources: Iterable[Item], *, workers: int | None = None, executor: TaskRunner | None = None,
                   progress: bool = False, **options: Any) -> Iterator[BatchResult]:
    """Run every item; yield its BatchResult as soon as it is done (`.index` says which).

    workers: processes to start (default: one per CPU), unless `executor` is given (an
    Executor, or micropython_wasi.ray.RayExecutor), which is used and left running.
    progress: show a progress bar (needs tqdm). Other options are run()'s (timeout,
    memory_limit, fuel, ...) for every item; an item's mapping overrides them.
    """
    merged = {**getattr(executor, "default_options", {}), **options}
    payloads = [_payload(i, item, merged) for i, item in enumerate(sources)]
    check_sendable(payloads)
    bar = Progress(progress, len(payloads), "run")
    own = Executor(default_workers(len(payloads)) if workers is None else workers) if executor is None else None
    runner: TaskRunner = own or executor  # type: ignore[assignment]
    finished = False
    try:
        for _, value in as_done(runner.run_tasks(_run_task, payloads, lost_result)):
            bar.update()
            yield value
        finished = True
    finally:
        bar.close()
        if own is not None:
            if finished:
                own.shutdown()
            else:
                own.terminate()  # the caller stopped early, or was interrupted


def map(sources: Iterable[Item], *, workers: int | None = None,  # noqa: A001 - micropython_wasi.map
        executor: TaskRunner | None = None, progress: bool = False, **options: Any) -> list[BatchResult]:
    """Run every item in parallel; return their BatchResults in the order of `sources`.

    Takes the options of imap_unordered(). Never raises because of an item: a limit, a
    crash or a dead worker is that item's status.
    """
    collected: dict[int, BatchResult] = {}
    for result in imap_unordered(sources, workers=workers, executor=executor, progress=progress, **options):
        collected[result.index] = result
    return [collected[i] for i in range(len(collected))]
