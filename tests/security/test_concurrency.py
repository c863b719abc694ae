"""Many Sandboxes in many threads, limits firing in some: no cross-talk, no deadlock, no leak."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

import pytest

import micropython_wasi
from micropython_wasi import (
    FuelExhausted,
    MemoryLimitExceeded,
    OutputLimitExceeded,
    Sandbox,
    TimeoutExceeded,
)

THREADS = 8
"""Threads running Sandboxes at once (the default suite); the slow suite uses more."""


def job(worker: int, index: int) -> str:
    """One run with its own marker; every fifth run is stopped by a limit."""
    marker = f"w{worker}-r{index}"
    kind = index % 5

    def echo(value: str) -> str:
        return value

    if kind == 0:
        with Sandbox(timeout=0.3) as box:
            try:
                box.run(f"print('{marker}')\nwhile True:\n    pass")
            except TimeoutExceeded as exc:
                assert exc.result is not None and exc.result.stdout == f"{marker}\n", exc.result
                return f"timeout:{marker}"
            raise AssertionError("no timeout")
    if kind == 1:
        with Sandbox(fuel=2_000_000, timeout=None) as box:
            try:
                box.run("while True:\n    pass")
            except FuelExhausted:
                return f"fuel:{marker}"
            raise AssertionError("no fuel limit")
    if kind == 2:
        with Sandbox(memory_limit=8 * 1024 * 1024) as box:
            try:
                box.run("x = []\nwhile True:\n    x.append(bytearray(100000))")
            except MemoryLimitExceeded:
                return f"memory:{marker}"
            raise AssertionError("no memory limit")
    if kind == 3:
        with Sandbox(max_output=10_000) as box:
            try:
                box.run("while True:\n    print('flood')")
            except OutputLimitExceeded as exc:
                assert exc.result is not None and len(exc.result.stdout) == 10_000
                assert ("flood\n" * 2000).startswith(exc.result.stdout)
                return f"output:{marker}"
            raise AssertionError("no output limit")
    with Sandbox(host_functions={"echo": echo}) as box:
        box.run(f"secret = '{marker}'")
        result = box.run("import time\ntime.sleep_ms(5)\nprint(echo(secret), sum(range(1000)))")
        assert result.stdout == f"{marker} 499500\n", result
        return f"ok:{marker}"


def run_concurrently(threads: int, runs: int, work: Callable[[int, int], str] = job) -> list[str]:
    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(lambda w=w: [work(w, i) for i in range(runs)]) for w in range(threads)]
        results = [f.result(timeout=300) for f in futures]
    return [r for rs in results for r in rs]


def check(results: list[str], threads: int, runs: int) -> None:
    assert len(results) == threads * runs
    for w in range(threads):
        for i in range(runs):
            expected = ["timeout", "fuel", "memory", "output", "ok"][i % 5]
            assert f"{expected}:w{w}-r{i}" in results


def test_many_sandboxes_in_many_threads_with_limits_firing() -> None:
    runs = 10
    started = time.monotonic()
    results = run_concurrently(THREADS, runs)
    check(results, THREADS, runs)
    assert time.monotonic() - started < 120


def test_shared_sandboxes_across_threads_keep_their_own_state() -> None:
    """Each thread owns one long-lived Sandbox; state and output never cross."""
    boxes = [Sandbox() for _ in range(THREADS)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def work(index: int) -> None:
        box = boxes[index]
        try:
            box.run(f"mine = {index}\ncount = 0")
            barrier.wait(timeout=30)
            for _ in range(50):
                result = box.run("count += 1\nprint(mine, count)")
                assert result.stdout.split()[0] == str(index), result
            assert box.run("print(count)").stdout == "50\n"
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), "deadlock"
    for box in boxes:
        box.close()
    assert not errors, errors


def test_interrupt_from_other_threads_hits_only_its_target() -> None:
    with Sandbox(timeout=None) as target, Sandbox(timeout=None) as bystander:
        done = threading.Event()
        outcome: dict[str, object] = {}

        def run_bystander() -> None:
            outcome["bystander"] = bystander.run("n = 0\nfor i in range(300000):\n    n += i\nprint(n)").stdout
            done.set()

        thread = threading.Thread(target=run_bystander)
        thread.start()
        timer = threading.Timer(0.2, target.interrupt)
        timer.start()
        result = target.run("while True:\n    pass")
        thread.join(timeout=60)
        assert result.exception is not None and result.exception.type == "KeyboardInterrupt"
        assert done.is_set() and outcome["bystander"] == f"{sum(range(300000))}\n"


def _rss_bytes() -> int | None:
    try:
        with open(f"/proc/{os.getpid()}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _rss_over_cycles(cycles: int) -> list[int]:
    """RSS after each cycle of THREADS x 5 runs (a fifth of them stopped by each limit)."""
    samples = []
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        for _ in range(cycles):
            futures = [pool.submit(lambda w=w: [job(w, i) for i in range(5)]) for w in range(THREADS)]
            check([r for f in futures for r in f.result(timeout=300)], THREADS, 5)
            gc.collect()
            rss = _rss_bytes()
            assert rss is not None
            samples.append(rss)
    return samples


LEAK_PROBE = """
import sys
sys.path.insert(0, {tests!r})
from security.test_concurrency import _rss_over_cycles
print(*_rss_over_cycles({cycles}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_memory_returns_to_a_steady_level() -> None:
    """Hundreds of runs in 8 threads, limits firing in 4 of every 5, leave the host's memory flat.

    Run in a fresh process without the instance pool, whose warm slots
    otherwise keep up to POOL_WARM_SLOTS MiB resident per engine by design
    (the slow soak test covers the pooled case).
    """
    tests = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, MICROPY_WASI_POOL_SIZE="0")
    proc = subprocess.run([sys.executable, "-c", LEAK_PROBE.format(tests=tests, cycles=8)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    samples = [int(x) for x in proc.stdout.split()]
    growth = samples[-1] - samples[2]
    assert growth < 4 * 1024 * 1024, f"the host grew by {growth / 2**20:.1f} MiB over {5 * THREADS * 5} runs"


@pytest.mark.slow
def test_soak_many_threads() -> None:
    threads, runs = 32, 25
    results = run_concurrently(threads, runs)
    check(results, threads, runs)
    assert micropython_wasi.run("print('after')").stdout == "after\n"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_soak_memory_plateaus_with_the_instance_pool() -> None:
    """With pooling, resident memory grows while warm slots fill, then stays level."""
    from micropython_wasi import _engine

    samples = _rss_over_cycles(160)
    growth = samples[-1] - samples[-40]
    assert growth < 4 * 1024 * 1024, f"still growing: {growth / 2**20:.1f} MiB over the last 40 cycles"
    bound = 2 * _engine.POOL_WARM_SLOTS * _engine.POOL_KEEP_RESIDENT + 32 * 1024 * 1024
    assert samples[-1] - samples[0] < bound


HAMMER_PROBE = """
import threading
from micropython_wasi import Sandbox, SandboxError

# The guest swallows KeyboardInterrupt, so every run ends by a limit that stops
# (and frees) the interpreter, or by close(), while other threads keep calling
# interrupt() (and close()) on it.
LOOP = "while True:\\n    try:\\n        while True:\\n            print('x' * 50)\\n    except KeyboardInterrupt:\\n        pass"
for i in range({rounds}):
    box = Sandbox(timeout=0.05, max_output=None if i % 2 else 200_000)
    done = threading.Event()

    def hammer():
        while not done.is_set():
            box.interrupt()

    def closer():
        done.wait(0.002 * (i % 10))
        box.close()

    threads = [threading.Thread(target=hammer) for _ in range(2)]
    if i % 3 == 0:
        threads.append(threading.Thread(target=closer))
    for thread in threads:
        thread.start()
    try:
        box.run(LOOP)
    except SandboxError:
        pass
    done.set()
    for thread in threads:
        thread.join()
    box.close()
print("survived")
"""


@pytest.mark.parametrize("pool_size", ["0", "16"], ids=["unpooled", "pooled"])
def test_interrupt_and_close_hammered_while_runs_are_stopped(pool_size: str) -> None:
    """interrupt() and close() from other threads never write into a freed (or reused) instance.

    Runs in a subprocess: the failure this guards against is a crash of the process.
    """
    env = dict(os.environ, MICROPY_WASI_POOL_SIZE=pool_size)
    proc = subprocess.run([sys.executable, "-c", HAMMER_PROBE.format(rounds=12)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0 and proc.stdout == "survived\n", (proc.returncode, proc.stderr[-2000:])


class _CloseBeforeRelease:
    """A Sandbox's run lock that lets another thread close() the Sandbox just before it is released:
    the moment when close() cannot take the lock, and the run has already looked for a close()."""

    def __init__(self, box: Sandbox) -> None:
        self._lock = threading.Lock()
        self._box = box
        self.fired = False

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        return self._lock.acquire(blocking, timeout)

    def locked(self) -> bool:
        return self._lock.locked()

    def release(self) -> None:
        if not self.fired:
            self.fired = True
            closer = threading.Thread(target=self._box.close)
            closer.start()
            closer.join()
        self._lock.release()


@pytest.mark.parametrize("call", ["run", "set_argv", "register_function"])
def test_close_from_another_thread_as_a_call_ends_releases_the_interpreter(call: str) -> None:
    """close() racing with the end of a run (or another locked call): the interpreter is released."""
    box = Sandbox(timeout=None)
    lock = _CloseBeforeRelease(box)
    box._lock = lock  # type: ignore[assignment]
    if call == "run":
        box.run("pass")
    elif call == "set_argv":
        box.set_argv(["x"])
    else:
        box.register_function(len)
    assert lock.fired and box.closed
    assert box._guest is None, "the closed Sandbox still holds its interpreter"
