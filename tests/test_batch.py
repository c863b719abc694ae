"""Batches over worker processes: map(), imap_unordered() and Executor.

The workers are separate processes (spawned), so most tests share one Executor
to keep the suite fast.
"""

from __future__ import annotations

import concurrent.futures
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import wasmtime

import micropython_wasi
from micropython_wasi import BatchResult, Executor, Status, imap_unordered

from security.test_images import HOSTILE


@pytest.fixture(scope="module")
def executor() -> Iterator[Executor]:
    with Executor(2) as pool:
        yield pool


def test_results_come_back_in_order_with_a_status_each(executor: Executor) -> None:
    sources = [f"print({i} * {i})" for i in range(40)]
    sources[5] = "1 / 0"
    sources[7] = "import sys\nsys.exit(4)"
    results = micropython_wasi.map(sources, executor=executor)
    assert [r.index for r in results] == list(range(40))
    for i, result in enumerate(results):
        if i not in (5, 7):
            assert result.status is Status.OK and result.ok
            assert result.stdout == f"{i * i}\n"
    assert results[5].status is Status.FAILED and results[5].exception is not None
    assert results[5].exception.type == "ZeroDivisionError" and results[5].error is None
    assert results[7].status is Status.FAILED and results[7].exit_code == 4


def test_per_item_limits_do_not_affect_the_other_items(executor: Executor) -> None:
    items: list[micropython_wasi.batch.Item] = [f"print({i})" for i in range(8)]
    items[3] = {"source": "while True:\n    pass", "timeout": 0.3}
    items[4] = {"source": "x = bytearray(64 * 1024 * 1024)", "memory_limit": 8 * 1024 * 1024}
    items[5] = {"source": "while True:\n    print('spam')", "max_output": 1000}
    items[6] = {"source": "while True:\n    pass", "fuel": 100_000, "timeout": None}
    items[7] = {"source": "print(input())", "stdin": "from stdin\n"}
    results = micropython_wasi.map(items, executor=executor, timeout=5)
    assert [r.status for r in results] == [Status.OK] * 3 + [
        Status.TIMEOUT, Status.MEMORY_LIMIT, Status.OUTPUT_LIMIT, Status.FUEL_EXHAUSTED, Status.OK]
    assert "timeout of 0.3 s" in (results[3].error or "")
    assert results[5].result is not None and results[5].stdout.startswith("spam\n")  # what it wrote until then
    assert results[7].stdout == "from stdin\n"
    for result in results[:3]:
        assert result.stdout == f"{result.index}\n" and result.elapsed is not None and result.elapsed < 0.3


def test_bad_options_are_an_items_status(executor: Executor) -> None:
    results = micropython_wasi.map(["print(1)", {"source": "pass", "timeout": -1}, {"source": b"pass"}],
                                   executor=executor)
    assert results[0].ok
    assert results[1].status is Status.INVALID and "timeout must be" in (results[1].error or "")
    assert results[2].status is Status.INVALID and "must be a str" in (results[2].error or "")


def test_a_crashing_item_is_reported(executor: Executor, tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.wasm"
    hostile.write_bytes(wasmtime.wat2wasm(HOSTILE))
    results = micropython_wasi.map(["print('before')", {"source": "l", "image": str(hostile)}, "print('after')"],
                                   executor=executor)
    assert [r.status for r in results] == [Status.OK, Status.CRASH, Status.OK]
    assert results[1].result is None and "unreachable" in (results[1].error or "")
    assert results[2].stdout == "after\n"


def test_malformed_items_raise_before_anything_runs() -> None:
    with pytest.raises(TypeError, match="item 1: expected a source string"):
        micropython_wasi.map(["pass", 42], workers=1)  # type: ignore[list-item]
    with pytest.raises(TypeError, match="item 0: a mapping item needs a 'source' key"):
        micropython_wasi.map([{"stdin": "x"}], workers=1)
    with pytest.raises(ValueError, match="workers must be a positive integer"):
        micropython_wasi.map(["pass"], workers=0)


def test_map_starts_and_stops_its_own_workers() -> None:
    results = micropython_wasi.map(["import sys\nprint(sys.implementation.name)"] * 3, workers=2, timeout=5)
    assert [r.stdout for r in results] == ["micropython\n"] * 3


def test_imap_unordered_yields_every_index_once(executor: Executor) -> None:
    sources = ["import time\ntime.sleep(1)\nprint('slow')"] + [f"print({i})" for i in range(1, 10)]
    seen = list(imap_unordered(sources, executor=executor))
    order = [r.index for r in seen]
    assert sorted(order) == list(range(10))
    # Results come as they complete: the other worker's items before the slow one.
    assert order.index(9) < order.index(0)
    assert all(isinstance(r, BatchResult) and r.ok for r in seen)


def test_executor_semantics(executor: Executor) -> None:
    assert isinstance(executor, concurrent.futures.Executor)
    futures = [executor.submit(f"print({i})") for i in range(6)]
    done, not_done = concurrent.futures.wait(futures, timeout=30)
    assert not not_done
    assert sorted(f.result().stdout for f in done) == [f"{i}\n" for i in range(6)]
    assert [r.stdout for r in executor.map([f"print({i})" for i in range(5)])] == [f"{i}\n" for i in range(5)]
    assert executor.submit("print(input())", stdin="x").result().stdout == "x\n"
    assert executor.submit({"source": "while 1:\n  pass", "timeout": 0.2}).result().status is Status.TIMEOUT


def test_executor_defaults_and_shutdown() -> None:
    with Executor(1, timeout=0.2) as pool:
        assert pool.submit("while 1:\n  pass").result().status is Status.TIMEOUT
        assert pool.submit("while 1:\n  pass", timeout=None, fuel=10_000).result().status is Status.FUEL_EXHAUSTED
        assert micropython_wasi.map(["while 1:\n  pass"], executor=pool)[0].status is Status.TIMEOUT
        slow = [pool.submit("import time\ntime.sleep(0.05)") for _ in range(40)]
        assert slow[0].result().ok
        pool.shutdown(wait=True, cancel_futures=True)
    assert slow[-1].cancelled()
    assert all(f.done() for f in slow)  # run (those a worker had taken) or cancelled
    with pytest.raises(RuntimeError, match="shut down"):
        pool.submit("pass")


def test_executor_map_timeout() -> None:
    with Executor(1) as pool:
        results = pool.map(["import time\ntime.sleep(5)", "pass"], timeout=0.5)
        with pytest.raises(concurrent.futures.TimeoutError):
            list(results)
        pool.terminate()


def _wait_for(path: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} did not appear"
        time.sleep(0.02)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_killed_worker_is_reported_and_replaced(tmp_path: Path) -> None:
    marker = "/out/started"
    slow = {"source": f"open({marker!r}, 'w').close()\nimport time\ntime.sleep(30)", "timeout": 60,
            "mounts": {"/out": micropython_wasi.Mount(str(tmp_path), writable=True)}}
    with Executor(1) as pool:
        (first_pid,) = pool.worker_pids()
        futures = [pool.submit("print('a')"), pool.submit(slow), pool.submit("print('b')"), pool.submit("print('c')")]
        _wait_for(tmp_path / "started")
        os.kill(first_pid, signal.SIGKILL)
        results = [f.result(timeout=60) for f in futures]
        assert [r.status for r in results] == [Status.OK, Status.WORKER_DIED, Status.OK, Status.OK]
        assert "died (signal SIGKILL)" in (results[1].error or "")
        assert [results[2].stdout, results[3].stdout] == ["b\n", "c\n"]  # run by the replacement
        assert pool.replaced_workers == 1
        assert pool.worker_pids() != [first_pid]
        assert pool.submit("print('later')").result(timeout=60).stdout == "later\n"


def test_options_that_cannot_reach_a_worker_raise_up_front() -> None:
    with pytest.raises(TypeError, match="cannot be sent to a worker process"):
        micropython_wasi.map(["pass"], workers=1, host_functions={"f": lambda: 1})


def test_progress_bar(executor: Executor, capsys: pytest.CaptureFixture[str]) -> None:
    results = micropython_wasi.map(["pass"] * 5, executor=executor, progress=True)
    assert all(r.ok for r in results)
    assert "5/5" in capsys.readouterr().err


def test_progress_without_tqdm_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    with pytest.raises(ImportError, match=r"micropython-wasi\[progress\]"):
        micropython_wasi.map(["pass"], workers=1, progress=True)
