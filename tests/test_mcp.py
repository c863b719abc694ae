"""micropython-wasi mcp, driven by the MCP SDK's own stdio client (the server runs as a subprocess)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp", reason="the MCP SDK is in the test extra: pip install '.[test]'")

from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402

SERVER = [sys.executable, "-m", "micropython_wasi.cli", "mcp"]


@asynccontextmanager
async def server(*args: str, errlog: Path) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(command=SERVER[0], args=[*SERVER[1:], *args])
    with errlog.open("w") as log:
        async with stdio_client(params, errlog=log) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                yield session


async def run(session: ClientSession, code: str, **arguments: Any) -> dict[str, Any]:
    result = await session.call_tool("run_python", {"code": code, **arguments})
    assert not result.is_error, result
    content = result.structured_content
    assert isinstance(content, dict)
    # The text content is the same record, for clients that read only text.
    assert json.loads(result.content[0].text) == content  # type: ignore[union-attr]
    return content


def arun(coro: Any, limit: float = 60) -> Any:
    return asyncio.run(asyncio.wait_for(coro, limit))


def test_a_conversation(tmp_path: Path) -> None:
    errlog = tmp_path / "stderr.txt"
    data = tmp_path / "data"
    data.mkdir()
    (data / "note.txt").write_text("hello from the host")
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"timeout": 3, "memory_limit": "32m", "mounts": {"/data": str(data)},
                                  "host_functions": {"basename": "posixpath:basename"}}))

    async def main() -> float:
        # (An option on the command line overrides the file's.)
        async with server("--config", str(config), "--timeout", "2", errlog=errlog) as session:
            tools = {tool.name: tool for tool in (await session.list_tools()).tools}
            assert set(tools) == {"run_python", "reset_session"}
            description = tools["run_python"].description or ""
            assert "session_id" in description and "Limits: memory 32 MiB, wall-clock 2 s per run" in description
            assert "/data (read-only)" in description and "basename" in description

            files = await run(session, "print(open('/data/note.txt').read())\nbasename('/a/b.txt')")
            assert (files["stdout"], files["value"]) == ("hello from the host\n", "'b.txt'")
            denied = await run(session, "open('/data/new.txt', 'w')")
            assert denied["error"] is not None and "OSError" in denied["error"]

            first = await run(session, "x = 6 * 7\nprint('set')\nx", session_id="conv-1")
            assert first == {"stdout": "set\n", "stderr": "", "value": "42", "error": None, "limit": None,
                             "session_id": "conv-1", "new_session": True, "state_lost": False}
            second = await run(session, "x + 1", session_id="conv-1")
            assert (second["value"], second["new_session"]) == ("43", False)
            # Another session, and a run without one, do not see conv-1's state.
            assert "NameError" in (await run(session, "x", session_id="conv-2"))["error"]
            assert "NameError" in (await run(session, "x"))["error"]
            failed = await run(session, "def f():\n    return 1 / 0\nf()", session_id="conv-1")
            assert failed["error"].startswith("Traceback (most recent call last):")
            assert 'line 2, in f' in failed["error"] and failed["error"].endswith("ZeroDivisionError: divide by zero\n")
            assert (await run(session, "input()", stdin="typed\n"))["value"] == "'typed'"

            reset = await session.call_tool("reset_session", {"session_id": "conv-1"})
            assert "was reset" in reset.content[0].text  # type: ignore[union-attr]
            after = await run(session, "x", session_id="conv-1")
            assert after["new_session"] and "NameError" in after["error"]
            started = time.perf_counter()
        return time.perf_counter() - started

    shutdown = arun(main())
    # Closing stdin ends the server by itself (the client kills it only after 2 s).
    assert shutdown < 1.9
    assert "Traceback" not in errlog.read_text()


def test_each_limit(tmp_path: Path) -> None:
    async def main() -> None:
        async with server("--timeout", "1", "--fuel", "30000000", "--memory-limit", "16m", "--max-output", "10k",
                          errlog=tmp_path / "stderr.txt") as session:
            await run(session, "kept = 'yes'", session_id="s")

            slow = await run(session, "import time\ntime.sleep(5)", session_id="s")
            assert slow["limit"] == "timeout" and "timeout of 1 s" in slow["error"] and not slow["state_lost"]
            memory = await run(session, "big = bytearray(64 * 1024 * 1024)", session_id="s")
            assert memory["limit"] == "memory" and "memory_limit" in memory["error"] and not memory["state_lost"]
            assert (await run(session, "kept", session_id="s"))["value"] == "'yes'"

            fuel = await run(session, "while True:\n    pass", session_id="s")
            assert fuel["limit"] == "fuel" and fuel["state_lost"]
            assert "NameError" in (await run(session, "kept", session_id="s"))["error"]  # a fresh interpreter

            await run(session, "kept = 'again'", session_id="s")
            output = await run(session, "print('x' * 20000)", session_id="s")
            assert output["limit"] == "output" and output["state_lost"] and len(output["stdout"]) <= 10 * 1024
            assert (await run(session, "1 + 1", session_id="s"))["value"] == "2"

            oneoff = await run(session, "while True:\n    pass")
            assert oneoff["limit"] == "fuel" and oneoff["session_id"] is None

    arun(main())


def test_sessions_expire_and_are_bounded(tmp_path: Path) -> None:
    async def main() -> None:
        async with server("--idle-timeout", "0.4", "--max-sessions", "2", errlog=tmp_path / "stderr.txt") as session:
            for name in ("a", "b"):
                await run(session, f"me = {name!r}", session_id=name)
            assert (await run(session, "me", session_id="a"))["value"] == "'a'"  # a is now the most recent
            await run(session, "me = 'c'", session_id="c")  # a third: b, the least recently used, goes
            assert (await run(session, "me", session_id="a"))["value"] == "'a'"
            assert (await run(session, "me", session_id="b"))["new_session"]
            await asyncio.sleep(1.0)
            expired = await run(session, "me", session_id="a")
            assert expired["new_session"] and "NameError" in expired["error"]

    arun(main())


@pytest.mark.parametrize(("args", "message"), [
    (["--timeout", "soon"], "--timeout"),
    (["--host-function", "f=nosuchmodule:f"], "nosuchmodule"),
    (["--mount", "/no/such/dir:/data"], "does not exist"),
    (["--max-sessions", "0"], "--max-sessions"),
])
def test_bad_settings_exit_2_naming_the_problem(args: list[str], message: str) -> None:
    done = subprocess.run([*SERVER, *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert done.stderr.startswith("micropython-wasi mcp:") and message in done.stderr


def test_bad_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.json"
    config.write_text('{"timeout": 1, "colour": "blue"}')
    done = subprocess.run([*SERVER, "--config", str(config)], capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and "unknown setting 'colour'" in done.stderr


def test_streamable_http(tmp_path: Path) -> None:
    import socket

    from mcp.client.streamable_http import streamable_http_client

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with (tmp_path / "stderr.txt").open("w") as log:
        process = subprocess.Popen([*SERVER, "--http", f"127.0.0.1:{port}"], stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=log)

    async def main() -> None:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
                await asyncio.sleep(0.1)
        async with streamable_http_client(f"http://127.0.0.1:{port}/mcp") as (read, write, *_):
            async with ClientSession(read, write) as session:
                await session.initialize()
                assert (await run(session, "a = 3\na * 3", session_id="h"))["value"] == "9"
                assert (await run(session, "a", session_id="h"))["value"] == "3"

    try:
        arun(main())
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "Traceback" not in (tmp_path / "stderr.txt").read_text()


def test_docs_example() -> None:
    from conftest import REPO
    from test_docs import expected_output, python_blocks, run_blocks

    path = REPO / "docs" / "mcp.md"
    blocks = python_blocks(path)
    assert len(blocks) == 1 and len(expected_output(blocks[0])) == 5
    run_blocks(path, blocks)
