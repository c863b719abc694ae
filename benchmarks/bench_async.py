"""Async throughput: 50 concurrent AsyncSandbox sessions doing small runs in one event loop,
against the same work through the sync API (50 threads, one Sandbox each, and one thread
running them in turn), measured in the same run; and the MCP round trip of a trivial run.

    python benchmarks/bench_async.py
    python benchmarks/bench_async.py --sessions 50 --runs 40 --repeat 3 --mcp-calls 200

Rows:
  sync, 1 thread     one thread runs the sessions' runs in turn: the baseline
    (value=False)    the same without Result.value (one run instead of two)
  sync, N threads    N threads, each calling Sandbox.run() on its own Sandbox
  async, N sessions  asyncio.gather() over N AsyncSandbox sessions, each awaiting its runs
  async + host fn    the same, each run calling an async host function once
  MCP round trip     call_tool("run_python") through the SDK's stdio client (a session,
                     and without one: a fresh interpreter per call); median and p90

runs/s is wall-clock throughput; CPU is the process's CPU seconds (all threads) per 1000 runs.
Each figure is the best of --repeat timings (the machine may be busy).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import threading
import time
from collections.abc import Callable

from micropython_wasi import Sandbox
from micropython_wasi.aio import AsyncSandbox

SOURCE = "n += 1\nn * 2"


def measure(work: Callable[[], None], runs: int) -> tuple[float, float]:
    """(runs/s, CPU seconds per 1000 runs) of work(), which does `runs` runs."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return runs / wall, cpu / runs * 1000


def best(repeat: int, once: Callable[[], tuple[float, float]]) -> tuple[float, float]:
    return max((once() for _ in range(repeat)), key=lambda figures: figures[0])


def sync_in_turn(boxes: list[Sandbox], runs: int, value: bool = True) -> None:
    for _ in range(runs):
        for box in boxes:
            box.run(SOURCE, value=value)


def sync_threads(boxes: list[Sandbox], runs: int) -> None:
    def work(box: Sandbox) -> None:
        for _ in range(runs):
            box.run(SOURCE, value=True)

    threads = [threading.Thread(target=work, args=(box,)) for box in boxes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


async def async_sessions(boxes: list[AsyncSandbox], runs: int, source: str) -> None:
    async def work(box: AsyncSandbox) -> None:
        for _ in range(runs):
            await box.run(source, value=True)

    await asyncio.gather(*(work(box) for box in boxes))


async def lookup(key: int) -> int:
    await asyncio.sleep(0)
    return key


def mcp_round_trips(calls: int) -> dict[str, list[float]]:
    from mcp.client.session import ClientSession
    from mcp.client.stdio import StdioServerParameters, stdio_client

    async def main() -> dict[str, list[float]]:
        params = StdioServerParameters(command=sys.executable, args=["-m", "micropython_wasi.cli", "mcp"])
        times: dict[str, list[float]] = {"session": [], "one-off": []}
        with open(os.devnull, "w") as devnull:
            async with stdio_client(params, errlog=devnull) as (read, write):
                async with ClientSession(read, write) as client:
                    await client.initialize()
                    await client.call_tool("run_python", {"code": "1", "session_id": "bench"})
                    for kind, extra in (("session", {"session_id": "bench"}), ("one-off", {})):
                        for _ in range(calls):
                            started = time.perf_counter()
                            result = await client.call_tool("run_python", {"code": "1 + 1", **extra})
                            times[kind].append(time.perf_counter() - started)
                            assert result.structured_content["value"] == "2"
        return times

    return asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--runs", type=int, default=40, help="runs per session")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mcp-calls", type=int, default=200, help="MCP calls of each kind (0: skip)")
    args = parser.parse_args()
    sessions, runs = args.sessions, args.runs
    total = sessions * runs
    print(f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; {sessions} sessions x {runs} runs of {SOURCE!r} (value=True)")

    boxes = [Sandbox() for _ in range(sessions)]
    for box in boxes:
        box.run("n = 0")
    rows: dict[str, tuple[float, float]] = {}
    rows["sync, 1 thread"] = best(args.repeat, lambda: measure(lambda: sync_in_turn(boxes, runs), total))
    rows["  (value=False)"] = best(args.repeat, lambda: measure(lambda: sync_in_turn(boxes, runs, False), total))
    rows[f"sync, {sessions} threads"] = best(args.repeat, lambda: measure(lambda: sync_threads(boxes, runs), total))
    for box in boxes:
        box.close()

    async def async_rows() -> None:
        plain = [AsyncSandbox() for _ in range(sessions)]
        with_host = [AsyncSandbox(host_functions={"lookup": lookup}) for _ in range(sessions)]
        for box in plain + with_host:
            await box.run("n = 0")

        for name, group, source in ((f"async, {sessions} sessions", plain, SOURCE),
                                    ("async + host fn", with_host, "n += lookup(1)\nn * 2")):
            figures = []
            for _ in range(args.repeat):
                wall, cpu = time.perf_counter(), time.process_time()
                await async_sessions(group, runs, source)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                figures.append((total / wall, cpu / total * 1000))
            rows[name] = max(figures, key=lambda f: f[0])
        for box in plain + with_host:
            box.close()

    asyncio.run(async_rows())

    base = rows["sync, 1 thread"][0]
    print(f"{'':22} {'runs/s':>9} {'CPU s/1000 runs':>16} {'vs 1 thread':>12}")
    for name, (rate, cpu) in rows.items():
        print(f"{name:22} {rate:9.0f} {cpu:16.3f} {rate / base:11.2f}x")

    if args.mcp_calls:
        times = mcp_round_trips(args.mcp_calls)
        for kind, samples in times.items():
            samples.sort()
            p90 = samples[int(len(samples) * 0.9) - 1]
            print(f"MCP round trip, {kind:8} median {statistics.median(samples) * 1000:6.2f} ms, "
                  f"p90 {p90 * 1000:6.2f} ms ({len(samples)} calls)")


if __name__ == "__main__":
    main()
