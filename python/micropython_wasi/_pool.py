"""Worker processes for batches: one per core, each keeping its interpreters warm.

Threads do not scale here (the Python side of a run holds the GIL), so a batch
runs in worker processes. A task is a module-level function and a picklable
payload; the worker calls the function and sends back what it returns. Each
worker has at most one chunk of tasks in flight and reports each task as it
finishes, so when a worker dies the parent knows which task it was running:
that task is reported as lost and the rest of its chunk goes to other workers.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from multiprocessing.connection import Connection, wait
from typing import Any

Task = Callable[[Any], Any]
Lost = Callable[[Any, str], Any]
"""Makes the value of a task whose worker failed, from its payload and a message."""

# A chunk holds at most this many tasks; smaller when few are pending (for balance).
MAX_CHUNK = 32
# A worker sends the values it has after this many seconds, even in the middle of a chunk.
FLUSH_AFTER = 0.02
# A worker that dies this many times in a row without finishing a task is not replaced again.
MAX_FAILED_STARTS = 3


class WorkerLost:
    """Sent by a worker instead of a task's value when the task function failed."""

    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message

    def __reduce__(self) -> tuple[type[WorkerLost], tuple[str]]:
        return (WorkerLost, (self.message,))

    def __repr__(self) -> str:
        return f"WorkerLost({self.message!r})"


def _dumps(values: list[Any]) -> bytes:
    try:
        return pickle.dumps(values, pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - one value cannot be pickled: replace it, keep the others
        kept = []
        for value in values:
            try:
                pickle.dumps(value)
            except Exception as exc:  # noqa: BLE001
                value = WorkerLost(f"the task's value cannot be sent back: {exc!r}")
            kept.append(value)
        return pickle.dumps(kept, pickle.HIGHEST_PROTOCOL)


def _worker_main(conn: Connection, progress: Any, warm: Task | None) -> None:
    """The worker process: run chunks of tasks until told to stop or the parent goes away.

    Values go back in batches (fewer messages: the parent's time per task is what limits
    scaling), at the end of a chunk or when a batch has waited FLUSH_AFTER seconds.
    `progress` (shared memory) says which task of the chunk runs: 2*i+1 while task i
    runs, 2*i+2 once it finished, so the parent knows it if the process dies.
    """
    # Ctrl-C goes to the whole process group: the parent decides what to do with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if warm is not None:
        try:
            warm(None)
        except Exception:  # noqa: BLE001 - the tasks report whatever is wrong
            pass
    while True:
        try:
            chunk = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        batch: list[Any] = []
        last_sent = time.monotonic()
        for position, (fn, payload) in enumerate(chunk):
            progress.value = 2 * position + 1
            try:
                value = fn(payload)
            except Exception as exc:  # noqa: BLE001 - a task function must not raise; report it if it does
                value = WorkerLost(f"the task failed in the worker: {exc!r}")
            batch.append(value)
            progress.value = 2 * position + 2
            now = time.monotonic()
            if position == len(chunk) - 1 or now - last_sent >= FLUSH_AFTER:
                try:
                    conn.send_bytes(_dumps(batch))
                except OSError:
                    return
                batch = []
                last_sent = now


class _Job:
    __slots__ = ("fn", "payload", "future", "lost")

    def __init__(self, fn: Task, payload: Any, future: Future[Any], lost: Lost) -> None:
        self.fn = fn
        self.payload = payload
        self.future = future
        self.lost = lost

    def fail(self, message: str) -> None:
        if not self.future.cancelled():
            self.future.set_result(self.lost(self.payload, message))


class _Worker:
    def __init__(self, ctx: Any, warm: Task | None) -> None:
        self.conn, child = ctx.Pipe()
        self.progress = ctx.RawValue("q", 0)
        self.process = ctx.Process(target=_worker_main, args=(child, self.progress, warm), daemon=True,
                                   name="micropython-wasi-worker")
        self.process.start()
        child.close()
        self.jobs: deque[_Job] = deque()
        self.finished = 0  # tasks it completed
        self.done_in_chunk = 0  # values received for the chunk in flight


def _exit_text(code: int | None) -> str:
    if code is None:
        return "an unknown status"
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


class WorkerPool:
    """Worker processes that run tasks; submit() returns a concurrent.futures.Future.

    workers: processes (default: one per CPU). warm: a task each worker runs once at
    start (with payload None), e.g. to load and compile the image. context: a
    multiprocessing start method; "spawn" by default (safe with threads, on every OS).
    """

    def __init__(self, workers: int | None = None, *, warm: Task | None = None, context: str | None = None) -> None:
        if workers is None:
            workers = os.cpu_count() or 1
        if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
            raise ValueError(f"workers must be a positive integer (worker processes), got {workers!r}")
        self._ctx = multiprocessing.get_context(context or "spawn")
        self._warm = warm
        self._size = workers
        self._lock = threading.Lock()
        self._pending: deque[_Job] = deque()
        self._closing = False
        self._killed = False
        self._failed_starts = 0
        self._wake_r, self._wake_w = self._ctx.Pipe(duplex=False)
        self._workers = [_Worker(self._ctx, warm) for _ in range(workers)]
        self.replaced = 0  # workers that died and were replaced
        self._thread = threading.Thread(target=self._loop, name="micropython-wasi-dispatch", daemon=True)
        self._thread.start()

    @property
    def workers(self) -> int:
        return self._size

    def pids(self) -> list[int]:
        """The process ids of the current workers."""
        return [w.process.pid for w in list(self._workers) if w.process.pid is not None]

    def submit_many(self, fn: Task, payloads: Iterable[Any], lost: Lost) -> list[Future[Any]]:
        """Run fn(payload) in a worker for each payload. A future's value is what fn returned,
        or lost(payload, message) when the worker died running it (or could not run it)."""
        futures: list[Future[Any]] = []
        jobs = []
        for payload in payloads:
            future: Future[Any] = Future()
            futures.append(future)
            jobs.append(_Job(fn, payload, future, lost))
        with self._lock:
            if self._closing:
                raise RuntimeError("cannot submit to a pool that was shut down")
            self._pending.extend(jobs)
        self._wake()
        return futures

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False, kill: bool = False) -> None:
        """Stop accepting tasks; finish the pending ones (or cancel them), then stop the workers.

        kill: terminate the workers now; running and pending tasks are cancelled.
        """
        with self._lock:
            self._closing = True
            if cancel_futures or kill:
                while self._pending:
                    self._pending.popleft().future.cancel()
        if kill:
            self._killed = True
            for worker in list(self._workers):
                if worker.process.is_alive():
                    worker.process.terminate()
        self._wake()
        if wait and threading.current_thread() is not self._thread:
            self._thread.join()

    def _wake(self) -> None:
        try:
            self._wake_w.send_bytes(b"")
        except OSError:
            pass  # the dispatcher has finished

    # -- the dispatcher thread ---------------------------------------------

    def _loop(self) -> None:
        try:
            self._serve()
        except BaseException as exc:  # a bug here must not leave callers waiting forever
            with self._lock:
                self._closing = True
                jobs = list(self._pending) + [job for worker in self._workers for job in worker.jobs]
                self._pending.clear()
            for job in jobs:
                if not job.future.done():
                    job.fail(f"the pool's dispatcher failed: {exc!r}")
            raise
        finally:
            self._stop_workers()

    def _serve(self) -> None:
        while True:
            self._dispatch()
            with self._lock:
                if self._closing and not self._pending and not any(w.jobs for w in self._workers):
                    break
            ready = wait([self._wake_r]
                         + [w.conn for w in self._workers]
                         + [w.process.sentinel for w in self._workers])
            for obj in ready:
                if obj is self._wake_r:
                    while self._wake_r.poll():
                        self._wake_r.recv_bytes()
            for worker in list(self._workers):
                if worker.conn in ready:
                    self._collect(worker)
                if worker.process.sentinel in ready or not worker.process.is_alive():
                    self._lost(worker)

    def _dispatch(self) -> None:
        """Give a chunk to each idle worker."""
        for worker in self._workers:
            if worker.jobs:
                continue
            with self._lock:
                if not self._pending:
                    return
                size = max(1, min(MAX_CHUNK, len(self._pending) // (2 * len(self._workers))))
                chunk: list[_Job] = []
                while self._pending and len(chunk) < size:
                    job = self._pending.popleft()
                    # (a job sent again after its worker died is running already)
                    if job.future.running() or job.future.set_running_or_notify_cancel():
                        chunk.append(job)
            if not chunk:
                continue
            worker.jobs.extend(chunk)
            try:
                data = pickle.dumps([(j.fn, j.payload) for j in chunk], pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - find the payloads that cannot be sent
                worker.jobs.clear()
                data = self._picklable(chunk, worker)
            if not worker.jobs:
                continue
            worker.done_in_chunk = 0
            worker.progress.value = 0
            try:
                worker.conn.send_bytes(data)
            except OSError:
                pass  # it died: its sentinel reports it

    def _picklable(self, chunk: list[_Job], worker: _Worker) -> bytes:
        sendable = []
        for job in chunk:
            try:
                pickle.dumps((job.fn, job.payload))
            except Exception as exc:  # noqa: BLE001
                job.fail(f"the item cannot be sent to a worker process: {exc!r}")
            else:
                sendable.append(job)
        worker.jobs.extend(sendable)
        return pickle.dumps([(j.fn, j.payload) for j in sendable], pickle.HIGHEST_PROTOCOL)

    def _collect(self, worker: _Worker) -> None:
        try:
            while worker.jobs and worker.conn.poll():
                values = pickle.loads(worker.conn.recv_bytes())
                self._failed_starts = 0
                for value in values:
                    job = worker.jobs.popleft()
                    worker.finished += 1
                    worker.done_in_chunk += 1
                    if isinstance(value, WorkerLost):
                        job.fail(value.message)
                    else:
                        job.future.set_result(value)
        except (EOFError, OSError):
            pass  # it died: its sentinel reports it

    def _lost(self, worker: _Worker) -> None:
        """A worker died: report the task it was running, requeue the rest, start another."""
        worker.process.join()
        self._collect(worker)  # results it sent before dying
        worker.conn.close()
        how = _exit_text(worker.process.exitcode)
        if self._killed:
            for job in worker.jobs:
                job.fail("the pool was shut down while this item ran")
            worker.jobs.clear()
            self._workers.remove(worker)
            return
        # The task it was running, if any (its position in the chunk): report it; run the rest
        # again elsewhere (those it finished but had not sent yet included).
        state = worker.progress.value
        running = (state - 1) // 2 - worker.done_in_chunk if state % 2 else -1
        if 0 <= running < len(worker.jobs):
            worker.jobs[running].fail(f"the worker process running this item died ({how})")
            del worker.jobs[running]
        with self._lock:
            self._pending.extendleft(reversed(worker.jobs))
        worker.jobs.clear()
        index = self._workers.index(worker)
        self._failed_starts = self._failed_starts + 1 if worker.finished == 0 else 0
        if self._failed_starts >= MAX_FAILED_STARTS:
            with self._lock:
                self._closing = True
                while self._pending:
                    self._pending.popleft().fail(
                        f"worker processes keep dying before finishing any item ({how}); the item was not run")
            self._workers.pop(index)
            return
        self._workers[index] = _Worker(self._ctx, self._warm)
        self.replaced += 1

    def _stop_workers(self) -> None:
        for worker in self._workers:
            try:
                worker.conn.send_bytes(pickle.dumps(None))
            except OSError:
                pass
        for worker in self._workers:
            worker.process.join(5)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join()
            worker.conn.close()
        self._wake_r.close()
        self._wake_w.close()
