"""AsyncSandbox and run_async(): concurrency in one loop, async host functions, cancellation."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

import micropython_wasi as mw
from micropython_wasi.aio import AsyncSandbox, run_async


def arun(coro: Any, limit: float = 30) -> Any:
    """Run a test coroutine; a deadlock fails the test instead of hanging it."""
    return asyncio.run(asyncio.wait_for(coro, limit))


def test_run_async_and_value() -> None:
    async def main() -> None:
        result = await run_async("x = 6 * 7\nx", value=True)
        assert result.ok and result.value == "42"
        assert (await mw.run_async("print('hi')")).stdout == "hi\n"

    arun(main())


def test_state_persists_between_runs() -> None:
    async def main() -> None:
        async with AsyncSandbox() as box:
            await box.run("items = [1, 2]")
            result = await box.run("items.append(3)\nitems", value=True)
            assert result.value == "[1, 2, 3]"
            result = await box.run("1 / 0")
            assert result.exception is not None and result.exception.type == "ZeroDivisionError"
        assert box.closed

    arun(main())


def test_fifty_sessions_run_concurrently_in_one_loop() -> None:
    # Every guest waits in a host function until all 50 have arrived: this finishes only if
    # the 50 runs are in progress at the same time while the loop stays free.
    sessions = 50

    async def main() -> None:
        arrived = 0
        everyone = asyncio.Event()

        async def rendezvous(n: int) -> int:
            nonlocal arrived
            arrived += 1
            if arrived == sessions:
                everyone.set()
            await everyone.wait()
            return n * 10

        boxes = [AsyncSandbox(host_functions={"rendezvous": rendezvous}, timeout=20) for _ in range(sessions)]
        try:
            for n, box in enumerate(boxes):
                await box.run(f"mine = {n}")
            results = await asyncio.gather(*(box.run("rendezvous(mine) + mine", value=True) for box in boxes))
            assert [r.value for r in results] == [str(n * 11) for n in range(sessions)]
        finally:
            for box in boxes:
                box.close()

    arun(main())


def test_async_host_function_uses_the_callers_loop() -> None:
    async def main() -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[str] = asyncio.Queue()
        seen: list[tuple[bool, bool]] = []

        async def next_item() -> str:
            seen.append((asyncio.get_running_loop() is loop, threading.current_thread() is threading.main_thread()))
            return await queue.get()

        async def feed() -> None:
            for word in ("alpha", "beta"):
                await asyncio.sleep(0.05)
                await queue.put(word)

        async with AsyncSandbox(host_functions={"next_item": next_item}) as box:
            feeder = asyncio.create_task(feed())
            result = await box.run("import host\nprint(next_item(), host.next_item())")
            await feeder
        assert result.stdout == "alpha beta\n"
        assert seen == [(True, True), (True, True)]

    arun(main())


def test_async_and_sync_host_functions_exceptions_cross() -> None:
    async def fails(message: str) -> None:
        await asyncio.sleep(0)
        raise ValueError(message)

    def add(a: int, b: int) -> int:
        return a + b

    async def main() -> None:
        async with AsyncSandbox(host_functions={"fails": fails}) as box:
            box.register_function(add)

            async def later(x: int) -> int:
                return x + 1

            box.register_function(later)
            result = await box.run(
                "try:\n    fails('bad input')\nexcept ValueError as e:\n    print('caught', e)\n"
                "print(add(2, 3), later(1))")
            assert result.stdout == "caught bad input\n5 2\n"
            assert set(box.host_functions) == {"fails", "add", "later"}

    arun(main())


def test_async_host_function_outside_run_async_is_an_error() -> None:
    async def value() -> int:
        return 1

    box = AsyncSandbox(host_functions={"value": value})
    try:
        result = box.sandbox.run("value()")  # the sync API: there is no loop to run it on
        assert result.exception is not None and result.exception.type == "RuntimeError"
        assert "can only be called during AsyncSandbox.run()" in result.exception.message
    finally:
        box.close()


LOOP = """
interrupted = False
count = 0
try:
    while True:
        count += 1
except KeyboardInterrupt:
    interrupted = True
    raise
"""


def test_cancellation_interrupts_softly_and_keeps_state() -> None:
    async def main() -> None:
        async with AsyncSandbox(timeout=10) as box:
            await box.run("kept = 'still here'")
            task = asyncio.create_task(box.run(LOOP))
            await asyncio.sleep(0.3)
            task.cancel()
            started = time.perf_counter()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert time.perf_counter() - started < 1.0  # the interrupt, not the 10 s timeout
            assert box.alive
            result = await box.run("print(kept, interrupted, count > 0)")
            assert result.stdout == "still here True True\n"

    arun(main())


def test_asyncio_wait_for_cancels_a_run() -> None:
    async def main() -> None:
        async with AsyncSandbox(timeout=10) as box:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(box.run(LOOP), 0.3)
            assert (await box.run("interrupted", value=True)).value == "True"

    arun(main())


def test_cancellation_of_a_run_waiting_in_an_async_host_function() -> None:
    async def main() -> None:
        never = asyncio.Event()
        host_cancelled = asyncio.Event()

        async def wait_forever() -> None:
            try:
                await never.wait()
            except asyncio.CancelledError:
                host_cancelled.set()
                raise

        async with AsyncSandbox(host_functions={"wait_forever": wait_forever}, timeout=10) as box:
            task = asyncio.create_task(box.run(
                "after = False\ntry:\n    wait_forever()\n    after = True\n"
                "except KeyboardInterrupt:\n    got = 'KeyboardInterrupt'\n    raise\n"))
            await asyncio.sleep(0.3)
            task.cancel()
            started = time.perf_counter()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert time.perf_counter() - started < 1.0
            assert host_cancelled.is_set()
            assert (await box.run("print(after, got)")).stdout == "False KeyboardInterrupt\n"

    arun(main())


def test_cancellation_of_a_run_in_a_sync_host_function_interrupts_when_it_returns() -> None:
    returned = threading.Event()

    def slow() -> str:
        time.sleep(0.6)
        returned.set()
        return "done"

    async def main() -> None:
        async with AsyncSandbox(host_functions={"slow": slow}, timeout=10) as box:
            task = asyncio.create_task(box.run("after = False\nr = slow()\nafter = True\n"))
            await asyncio.sleep(0.2)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert returned.is_set()  # the task ended only once the host function returned
            assert (await box.run("print(after, 'r' in globals())")).stdout == "False False\n"
            assert box.alive

    arun(main())


def test_a_swallowed_cancellation_meets_the_hard_stop() -> None:
    stubborn = "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass\n"

    async def main() -> None:
        async with AsyncSandbox(timeout=1.0) as box:
            await box.run("kept = 1")
            task = asyncio.create_task(box.run(stubborn))
            await asyncio.sleep(0.2)
            task.cancel()
            started = time.perf_counter()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert time.perf_counter() - started < 5.0  # the run's hard time limit stopped it
            assert not box.alive
            with pytest.raises(mw.SandboxClosedError):
                await box.run("kept")
            await box.reset()
            assert (await box.run("1 + 1", value=True)).value == "2"

    arun(main())


def test_cancelled_before_it_started() -> None:
    async def main() -> None:
        async with AsyncSandbox() as box:
            await box.run("n = 0")
            first = asyncio.create_task(box.run("import time\ntime.sleep(0.3)\nn += 1"))
            second = asyncio.create_task(box.run("n += 100"))  # waits for its turn
            await asyncio.sleep(0.05)
            second.cancel()
            assert (await first).ok
            with pytest.raises(asyncio.CancelledError):
                await second
            assert (await box.run("n", value=True)).value == "1"

    arun(main())


def test_an_async_host_function_past_the_time_limit_is_cancelled() -> None:
    async def main() -> None:
        cancelled = asyncio.Event()

        async def hang() -> None:
            try:
                await asyncio.sleep(60)
            except asyncio.CancelledError:
                cancelled.set()
                raise

        async with AsyncSandbox(host_functions={"hang": hang}, timeout=0.5) as box:
            await box.run("kept = 1")
            started = time.perf_counter()
            with pytest.raises(mw.TimeoutExceeded, match="while host function 'hang' ran"):
                await box.run("hang()")
            assert time.perf_counter() - started < 3
            assert cancelled.is_set()
            assert (await box.run("kept", value=True)).value == "1"  # a soft stop: the state is kept

    arun(main())


def test_docs_examples() -> None:
    from conftest import REPO
    from test_docs import expected_output, python_blocks, run_blocks

    path = REPO / "docs" / "async.md"
    blocks = python_blocks(path)
    assert len(blocks) >= 4 and sum(len(expected_output(b)) for b in blocks) >= 8
    run_blocks(path, blocks)


def test_one_sandbox_used_from_two_event_loops() -> None:
    box = AsyncSandbox()
    try:
        asyncio.run(box.run("n = 1"))
        assert asyncio.run(box.run("n + 1", value=True)).value == "2"
    finally:
        box.close()
