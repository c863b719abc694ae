"""Spread batches over a Ray cluster (the optional extra: pip install 'micropython-wasi[ray]').

RayExecutor is a pool of Ray actors, one CPU each, each keeping the image loaded
in its process. Pass it as `executor=` to micropython_wasi.map(),
imap_unordered(), judge() or judge_many(): the same code runs on one machine or
on a cluster. Only sources, options and results cross the network; each node
loads the image from its own installation of micropython-wasi.

Work goes to the actors in chunks. When an actor dies (its process or its node),
its chunks are sent again to the other actors (and Ray restarts it); an item
whose chunk failed `max_retries` times is reported as lost (WORKER_DIED, or an
internal error for a judged case).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

import ray

from .batch import TaskRunner

__all__ = ["RayExecutor"]

Lost = Callable[[Any, str], Any]


@ray.remote(num_cpus=1, max_restarts=-1)
class _Runner:
    """One actor: runs chunks of tasks in its process."""

    def __init__(self) -> None:
        from .batch import _warm

        _warm(None)

    def run_chunk(self, fn: Callable[[Any], Any], payloads: list[Any]) -> list[Any]:
        return [fn(payload) for payload in payloads]

    def pid(self) -> int:
        import os

        return os.getpid()


class _Chunk:
    __slots__ = ("fn", "payloads", "futures", "lost", "tries")

    def __init__(self, fn: Callable[[Any], Any], payloads: list[Any], futures: list[Future[Any]], lost: Lost) -> None:
        self.fn = fn
        self.payloads = payloads
        self.futures = futures
        self.lost = lost
        self.tries = 0


class RayExecutor(TaskRunner):
    """Ray actors that run batch items; use as `executor=` of map() and judge().

    actors: how many (default: the cluster's CPUs). address: given to ray.init() if Ray
    is not initialised yet (None: a local Ray, or $RAY_ADDRESS). chunk_size: items per
    actor call. max_retries: times a chunk is sent again after its actor died.
    Other options are run()'s, for every item (as Executor's).
    """

    def __init__(self, actors: int | None = None, *, address: str | None = None, chunk_size: int = 16,
                 max_retries: int = 2, **options: Any) -> None:
        if not ray.is_initialized():
            ray.init(address=address)
        if actors is None:
            actors = max(1, int(ray.cluster_resources().get("CPU", 1)))  # type: ignore[no-untyped-call]
        if not isinstance(actors, int) or actors < 1:
            raise ValueError(f"actors must be a positive integer, got {actors!r}")
        if not isinstance(chunk_size, int) or chunk_size < 1:
            raise ValueError(f"chunk_size must be a positive integer, got {chunk_size!r}")
        self._options = options
        self._chunk_size = chunk_size
        self._max_retries = max_retries
        self.actors = [_Runner.remote() for _ in range(actors)]  # type: ignore[attr-defined]
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._pending: deque[_Chunk] = deque()
        self._closing = False
        self.resent = 0  # chunks sent again after their actor died
        self._thread = threading.Thread(target=self._loop, name="micropython-wasi-ray", daemon=True)
        self._thread.start()

    @property
    def default_options(self) -> dict[str, Any]:
        return dict(self._options)

    def run_tasks(self, fn: Callable[[Any], Any], payloads: Sequence[Any], lost: Lost) -> list[Future[Any]]:
        futures: list[Future[Any]] = [Future() for _ in payloads]
        chunks = [_Chunk(fn, list(payloads[i:i + self._chunk_size]), futures[i:i + self._chunk_size], lost)
                  for i in range(0, len(payloads), self._chunk_size)]
        with self._lock:
            if self._closing:
                raise RuntimeError("cannot submit to a RayExecutor that was shut down")
            self._pending.extend(chunks)
        self._wake.set()
        return futures

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closing = True
            if cancel_futures:
                while self._pending:
                    for future in self._pending.popleft().futures:
                        future.cancel()
        self._wake.set()
        if wait:
            self._thread.join()

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    def _loop(self) -> None:
        running: dict[Any, tuple[int, _Chunk]] = {}  # object ref -> (actor number, chunk)
        busy = [0] * len(self.actors)
        try:
            self._dispatch(running, busy)
        except BaseException as exc:  # never leave futures waiting: report every item
            for _, chunk in list(running.values()) + [(0, c) for c in self._pending]:
                for future, payload in zip(chunk.futures, chunk.payloads):
                    if not future.done():
                        if not future.running():
                            future.set_running_or_notify_cancel()
                        future.set_result(chunk.lost(payload, f"the Ray dispatcher failed: {exc!r}"))
            raise
        finally:
            for actor_handle in self.actors:
                ray.kill(actor_handle)

    def _dispatch(self, running: dict[Any, tuple[int, _Chunk]], busy: list[int]) -> None:
        while True:
            with self._lock:
                while self._pending:
                    actor = min(range(len(self.actors)), key=busy.__getitem__)
                    if busy[actor] >= 2:  # two calls per actor: one runs while the next waits
                        break
                    chunk = self._pending.popleft()
                    started = [f.running() or f.set_running_or_notify_cancel() for f in chunk.futures]  # (resent: running)
                    if not any(started):
                        continue
                    ref = self.actors[actor].run_chunk.remote(chunk.fn, chunk.payloads)
                    running[ref] = (actor, chunk)
                    busy[actor] += 1
                if self._closing and not self._pending and not running:
                    return
            if not running:
                self._wake.wait()
                self._wake.clear()
                continue
            done, _ = ray.wait(list(running), num_returns=1, timeout=0.05)
            for ref in done:
                actor, chunk = running.pop(ref)
                busy[actor] -= 1
                self._finish(ref, chunk)

    def _finish(self, ref: Any, chunk: _Chunk) -> None:
        try:
            values = ray.get(ref)
        except ray.exceptions.RayTaskError as exc:  # the task function raised: not worth retrying
            values = [chunk.lost(p, f"the item failed on its Ray actor: {exc}") for p in chunk.payloads]
        except ray.exceptions.RayError as exc:  # the actor, its process or its node died
            chunk.tries += 1
            if chunk.tries <= self._max_retries:
                self.resent += 1
                with self._lock:
                    self._pending.appendleft(chunk)  # Ray restarts the actor; any actor may take it
                return
            values = [chunk.lost(p, f"the Ray actor running this item failed {chunk.tries} times: {exc}")
                      for p in chunk.payloads]
        for future, value in zip(chunk.futures, values):
            if future.running():
                future.set_result(value)
