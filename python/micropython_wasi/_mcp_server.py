"""micropython-wasi mcp: a Model Context Protocol server whose tool runs Python in the sandbox.

    micropython-wasi mcp [options]

Serves MCP over stdio (or streamable HTTP with --http). Tools:
  run_python(code, session_id=None, stdin=None)
      Run code; with a session_id, in that session's interpreter, whose state
      persists between calls (one per conversation). Returns stdout, stderr,
      value (the repr of a final expression, as the REPL shows it), error (the
      traceback, or what stopped the run), limit (which limit stopped it).
  reset_session(session_id)
      Forget a session's state.
Limits, mounts and host functions come from the options, or a JSON config file
(--config) with the same names: {"timeout": 5, "memory_limit": "64m",
"mounts": {"/data": "/srv/data"}, "host_functions": {"now": "time:time"},
"max_sessions": 16, "idle_timeout": 600}. Options given on the command line
override the file. Needs the `mcp` package: pip install 'micropython-wasi[mcp]'.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypedDict

from ._cli_args import UsageError, load_host_function, parse_mount, parse_size
from .aio import AsyncSandbox, run_async
from .capabilities import capabilities
from .errors import (
    FuelExhausted,
    LimitExceeded,
    MemoryLimitExceeded,
    OutputLimitExceeded,
    SandboxError,
    TimeoutExceeded,
)
from .result import Result
from .sandbox import DEFAULT_MAX_OUTPUT, DEFAULT_MEMORY_LIMIT, Mount, Sandbox

DEFAULT_MAX_SESSIONS = 16
DEFAULT_IDLE_TIMEOUT = 600.0
DEFAULT_TIMEOUT = 5.0
MAX_SESSION_ID = 128

_LIMIT_NAMES: tuple[tuple[type[LimitExceeded], str], ...] = (
    (TimeoutExceeded, "timeout"), (MemoryLimitExceeded, "memory"), (FuelExhausted, "fuel"),
    (OutputLimitExceeded, "output"),
)


class RunOutput(TypedDict):
    """What run_python returns (also as the tool's structured output)."""

    stdout: str
    stderr: str
    value: str | None
    error: str | None
    limit: str | None
    session_id: str | None
    new_session: bool
    state_lost: bool


# -- configuration ----------------------------------------------------------------


class Config:
    """The server's settings: the Sandbox options of every session, and the session bounds."""

    def __init__(self) -> None:
        self.options: dict[str, Any] = {"timeout": DEFAULT_TIMEOUT, "memory_limit": DEFAULT_MEMORY_LIMIT,
                                        "max_output": DEFAULT_MAX_OUTPUT}
        self.mounts: dict[str, Mount] = {}
        self.host_functions: dict[str, Callable[..., Any]] = {}
        self.max_sessions = DEFAULT_MAX_SESSIONS
        self.idle_timeout = DEFAULT_IDLE_TIMEOUT
        self.http: tuple[str, int] | None = None

    def sandbox_options(self) -> dict[str, Any]:
        return {**self.options, "mounts": dict(self.mounts), "host_functions": dict(self.host_functions)}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="micropython-wasi mcp", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", metavar="FILE", help="a JSON file of settings (see above)")
    parser.add_argument("--timeout", metavar="SECONDS", help=f"wall-clock limit per run (default {DEFAULT_TIMEOUT:g})")
    parser.add_argument("--memory-limit", metavar="SIZE", help="guest memory, e.g. 64m")
    parser.add_argument("--fuel", metavar="N", help="WebAssembly instructions per run")
    parser.add_argument("--max-output", metavar="SIZE", help="stdout + stderr per run, e.g. 1m")
    parser.add_argument("--mount", action="append", default=[], metavar="HOST[:GUEST][:rw|:ro]",
                        help="make a host directory visible to the guest (read-only unless :rw)")
    parser.add_argument("--host-function", action="append", default=[], metavar="NAME=MODULE:ATTR",
                        help="make a Python callable (or coroutine function) callable from the guest")
    parser.add_argument("--image", metavar="FILE", help="a custom interpreter image (.wasm)")
    parser.add_argument("--max-sessions", metavar="N", help=f"live sessions at most (default {DEFAULT_MAX_SESSIONS})")
    parser.add_argument("--idle-timeout", metavar="SECONDS",
                        help=f"a session unused this long is dropped (default {DEFAULT_IDLE_TIMEOUT:g})")
    parser.add_argument("--http", metavar="[HOST:]PORT", help="serve streamable HTTP at http://HOST:PORT/mcp "
                        "(default host 127.0.0.1) instead of stdio")
    return parser


def _seconds(value: Any, what: str, none_ok: bool = True) -> float | None:
    if value is None or (none_ok and value in ("none", "None")):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        raise UsageError(f"{what}: not a number of seconds: {value!r}") from None
    if not seconds > 0:
        raise UsageError(f"{what}: must be positive, got {value!r}")
    return seconds


def _count(value: Any, what: str) -> int:
    if isinstance(value, bool):
        raise UsageError(f"{what}: not a whole number: {value!r}")
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise UsageError(f"{what}: not a whole number: {value!r}") from None
    if number < 1 or (isinstance(value, float) and value != number):
        raise UsageError(f"{what}: must be a whole number >= 1, got {value!r}")
    return number


def _size(value: Any, what: str) -> int | None:
    if value is None or value in ("none", "None"):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        return parse_size(value, what)
    raise UsageError(f"{what}: expected a size such as 65536 or '64m', got {value!r}")


_FLAGS = "the command line"
_FILE_KEYS = {"timeout", "memory_limit", "fuel", "max_output", "mounts", "host_functions", "image",
              "max_sessions", "idle_timeout"}


def _apply(config: Config, settings: dict[str, Any], source: str) -> None:
    def label(key: str) -> str:  # (as the user wrote it: an option, or a key of the file)
        return f"--{key.replace('_', '-')}" if source == _FLAGS else f"{source}: {key}"

    unknown = sorted(set(settings) - _FILE_KEYS)
    if unknown:
        raise UsageError(f"{source}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(_FILE_KEYS))})")
    if "timeout" in settings:
        config.options["timeout"] = _seconds(settings["timeout"], label("timeout"))
    if "memory_limit" in settings:
        config.options["memory_limit"] = _size(settings["memory_limit"], label("memory_limit"))
    if "max_output" in settings:
        config.options["max_output"] = _size(settings["max_output"], label("max_output"))
    if "fuel" in settings:
        fuel = settings["fuel"]
        config.options["fuel"] = None if fuel in (None, "none") else _count(fuel, label("fuel"))
    if "image" in settings:
        config.options["image"] = settings["image"]
    if "max_sessions" in settings:
        config.max_sessions = _count(settings["max_sessions"], label("max_sessions"))
    if "idle_timeout" in settings:
        idle = _seconds(settings["idle_timeout"], label("idle_timeout"), none_ok=False)
        assert idle is not None
        config.idle_timeout = idle
    mounts = settings.get("mounts", {})
    if not isinstance(mounts, dict):
        raise UsageError(f'{source}: mounts must be an object of guest path to host directory, e.g. {{"/data": "/srv"}}')
    for guest, spec in mounts.items():
        if isinstance(spec, str):
            config.mounts[guest] = Mount(spec)
        elif isinstance(spec, dict) and isinstance(spec.get("host"), str) and set(spec) <= {"host", "writable"}:
            config.mounts[guest] = Mount(spec["host"], bool(spec.get("writable", False)))
        else:
            raise UsageError(f'{source}: mount {guest!r}: expected "HOST" or {{"host": "HOST", "writable": true}}')
    functions = settings.get("host_functions", {})
    if not isinstance(functions, dict):
        raise UsageError(f'{source}: host_functions must be an object of name to "MODULE:ATTR"')
    for name, target in functions.items():
        config.host_functions[name] = load_host_function(name, target, f"{source}: host function")


def parse_config(argv: list[str]) -> Config:
    """The settings from the command line (and the config file it names)."""
    args = _parser().parse_args(argv)
    config = Config()
    if args.config:
        try:
            with open(args.config, encoding="utf-8") as file:
                settings = json.load(file)
        except OSError as exc:
            raise UsageError(f"--config {args.config}: {exc.strerror or exc}") from None
        except json.JSONDecodeError as exc:
            raise UsageError(f"--config {args.config}: not JSON ({exc})") from None
        if not isinstance(settings, dict):
            raise UsageError(f"--config {args.config}: expected a JSON object of settings")
        _apply(config, settings, args.config)
    flags = {name: getattr(args, name) for name in
             ("timeout", "memory_limit", "fuel", "max_output", "image", "max_sessions", "idle_timeout")
             if getattr(args, name) is not None}
    _apply(config, flags, _FLAGS)
    for spec in args.mount:
        host, guest, writable = parse_mount(spec)
        config.mounts[guest] = Mount(host, writable)
    for spec in args.host_function:
        name, eq, target = spec.partition("=")
        if not eq or not name:
            raise UsageError(f"--host-function {spec!r}: expected NAME=MODULE:ATTR, e.g. now=time:time")
        config.host_functions[name] = load_host_function(name, target, "--host-function")
    if args.http:
        host, _, port = args.http.rpartition(":")
        config.http = (host or "127.0.0.1", _count(port, "--http"))
    return config


# -- sessions ---------------------------------------------------------------------


class _Session:
    __slots__ = ("box", "last_used", "busy")

    def __init__(self, box: AsyncSandbox) -> None:
        self.box = box
        self.last_used = time.monotonic()
        self.busy = 0


class Sessions:
    """Interpreters by session id: at most `limit` of them, each dropped after `idle` seconds unused."""

    def __init__(self, options: dict[str, Any], limit: int, idle: float) -> None:
        self._options = options
        self._limit = limit
        self._idle = idle
        self._sessions: dict[str, _Session] = {}

    def __len__(self) -> int:
        return len(self._sessions)

    async def acquire(self, session_id: str) -> tuple[_Session, bool]:
        """The session (made if new: then True), marked busy until release()."""
        self.expire()
        session = self._sessions.get(session_id)
        new = session is None
        if session is None:
            box = await AsyncSandbox.create(**self._options)
            session = self._sessions.get(session_id)  # (another call may have made it meanwhile)
            if session is not None:
                box.close()
            else:
                if len(self._sessions) >= self._limit:
                    idle = [(s.last_used, sid) for sid, s in self._sessions.items() if not s.busy]
                    if not idle:
                        box.close()
                        raise SandboxError(f"all {self._limit} sessions are running code: try again later")
                    self.drop(min(idle)[1])  # the least recently used
                session = self._sessions[session_id] = _Session(box)
        session.busy += 1
        return session, new

    def release(self, session: _Session) -> None:
        session.busy -= 1
        session.last_used = time.monotonic()

    def drop(self, session_id: str) -> bool:
        session = self._sessions.pop(session_id, None)
        if session is None:
            return False
        session.box.close()
        return True

    def expire(self) -> int:
        """Drop the sessions unused for longer than the idle time; how many."""
        now = time.monotonic()
        stale = [sid for sid, s in self._sessions.items() if not s.busy and now - s.last_used > self._idle]
        for sid in stale:
            self.drop(sid)
        return len(stale)

    def close(self) -> None:
        for sid in list(self._sessions):
            self.drop(sid)


# -- the tools --------------------------------------------------------------------


def _output(result: Result | None, *, error: str | None = None, limit: str | None = None,
            session_id: str | None = None, new_session: bool = False, state_lost: bool = False) -> RunOutput:
    exception = result.exception if result is not None else None
    if error is None and exception is not None:
        error = exception.traceback or f"{exception.type}: {exception.message}"
    if error is None and result is not None and result.exit_code:
        error = f"SystemExit: exit status {result.exit_code}"
    return RunOutput(stdout=result.stdout if result else "", stderr=result.stderr if result else "",
                     value=result.value if result else None, error=error, limit=limit, session_id=session_id,
                     new_session=new_session, state_lost=state_lost)


def _limit_name(exc: LimitExceeded) -> str:
    return next((name for cls, name in _LIMIT_NAMES if isinstance(exc, cls)), "limit")


def describe(config: Config) -> str:
    """The run_python tool's description: what it does, and what the guest's Python offers."""
    options = config.options
    caps = capabilities(options.get("image"), memory_limit=options.get("memory_limit"),
                        timeout=options.get("timeout"), fuel=options.get("fuel"),
                        max_output=options.get("max_output"), mounts=config.mounts or None,
                        host_functions=list(config.host_functions) or None)
    return (
        "Run Python code in a sandboxed MicroPython interpreter and return its stdout, stderr, the repr of "
        "the value of a final expression (like the Python REPL shows it), and any error with its traceback. "
        "Pass a session_id (any string, e.g. one per conversation) to keep variables, functions and imports "
        "between calls; without one, each call starts afresh. A session unused for "
        f"{config.idle_timeout:g} s is dropped.\n\n" + caps)


def build_server(config: Config) -> Any:
    """The MCPServer (from the `mcp` package) with the run_python and reset_session tools."""
    from mcp.server.mcpserver import MCPServer
    from mcp.server.mcpserver.exceptions import ToolError

    from . import __version__

    sessions = Sessions(config.sandbox_options(), config.max_sessions, config.idle_timeout)

    @asynccontextmanager
    async def lifespan(server: Any) -> AsyncIterator[None]:
        async def sweep() -> None:
            while True:
                await asyncio.sleep(min(30.0, max(0.05, config.idle_timeout / 4)))
                sessions.expire()

        sweeper = asyncio.ensure_future(sweep())
        try:
            yield None
        finally:
            sweeper.cancel()
            sessions.close()

    server = MCPServer("micropython-wasi", version=__version__, lifespan=lifespan,
                       instructions="Runs Python code (MicroPython) in a sandbox; see the run_python tool.")

    oneoff = asyncio.Semaphore(config.max_sessions)  # (runs without a session: as many interpreters at most)

    async def run_python(code: str, session_id: str | None = None, stdin: str | None = None) -> RunOutput:
        if session_id is None:
            async with oneoff:
                try:
                    return _output(await run_async(code, stdin=stdin, value=True, **config.sandbox_options()))
                except LimitExceeded as exc:
                    return _output(exc.result, error=str(exc), limit=_limit_name(exc))
        if not session_id or len(session_id) > MAX_SESSION_ID:
            raise ToolError(f"session_id must be 1 to {MAX_SESSION_ID} characters, got {len(session_id)}")
        try:
            session, new = await sessions.acquire(session_id)
        except SandboxError as exc:
            raise ToolError(str(exc)) from None
        box = session.box
        try:
            try:
                result = await box.run(code, stdin=stdin, value=True)
                return _output(result, session_id=session_id, new_session=new)
            except LimitExceeded as exc:
                partial, error, limit = exc.result, str(exc), _limit_name(exc)
            except SandboxError as exc:  # the interpreter failed: it is replaced below
                partial, error, limit = None, str(exc), None
            lost = not box.alive
            if lost:
                await box.reset()
            return _output(partial, error=error, limit=limit, session_id=session_id, new_session=new,
                           state_lost=lost)
        finally:
            sessions.release(session)

    async def reset_session(session_id: str) -> str:
        if sessions.drop(session_id):
            return f"session {session_id!r} was reset: its next run starts with a fresh interpreter"
        return f"there is no session {session_id!r} (nothing to reset)"

    server.add_tool(run_python, description=describe(config))
    server.add_tool(reset_session, description="Forget a session's state (variables, imports): its next "
                    "run_python call starts with a fresh interpreter.")
    return server


def main(argv: list[str]) -> int:
    try:
        config = parse_config(argv)
    except UsageError as exc:
        print(f"micropython-wasi mcp: {exc}", file=sys.stderr)
        return 2
    try:
        # The options are checked (and the image loaded) now, not at the first call.
        Sandbox(**config.sandbox_options()).close()
        server = build_server(config)
    except ImportError as exc:
        print(f"micropython-wasi mcp: {exc}: install the MCP SDK with pip install 'micropython-wasi[mcp]'",
              file=sys.stderr)
        return 2
    except SandboxError as exc:  # e.g. a mount or option the Sandbox refuses
        print(f"micropython-wasi mcp: {exc}", file=sys.stderr)
        return 2
    try:
        if config.http is not None:
            host, port = config.http
            asyncio.run(server.run_streamable_http_async(host=host, port=port))
        else:
            asyncio.run(server.run_stdio_async())
    except KeyboardInterrupt:
        pass
    return 0
