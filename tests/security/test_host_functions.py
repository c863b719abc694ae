"""Attacks through host functions: names, arguments, payload sizes, errors and re-entrancy."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import micropython_wasi
from micropython_wasi import Sandbox, SandboxClosedError, TimeoutExceeded

from .helpers import QUICK, SLACK, assert_alive, guest_raised, within

MAX_PAYLOAD = 64 * 1024


class Recorder:
    """Host functions that record their calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def echo(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((args, kwargs))
        return [list(args), kwargs]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def box(recorder: Recorder) -> Iterator[Sandbox]:
    def raises_value_error() -> None:
        raise ValueError("bad input from the host")

    class PrivateError(Exception):
        pass

    def raises_private() -> None:
        raise PrivateError("private detail")

    def raises_recursion() -> None:
        def f() -> None:
            f()
        f()

    def returns_object() -> object:
        return object()

    def returns_bytes(n: int) -> bytes:
        return b"x" * n

    def returns_nested(depth: int) -> list[Any]:
        value: list[Any] = []
        for _ in range(depth):
            value = [value]
        return value

    def returns_big_int() -> int:
        return 10**5000

    functions = {
        "echo": recorder.echo, "raises_value_error": raises_value_error, "raises_private": raises_private,
        "raises_recursion": raises_recursion, "returns_object": returns_object, "returns_bytes": returns_bytes,
        "returns_nested": returns_nested, "returns_big_int": returns_big_int,
    }
    with Sandbox(host_functions=functions, max_payload=MAX_PAYLOAD) as sandbox:
        yield sandbox
        assert_alive(sandbox)


def test_round_trip_baseline(box: Sandbox, recorder: Recorder) -> None:
    result = box.run("print(echo(1, 'two', b'3', [4.5, None], (True,), {'k': -7}, key=10**30))")
    assert result.ok, result.stderr
    assert result.stdout == "[[1, 'two', b'3', [4.5, None], (True,), {'k': -7}], {'key': 1000000000000000000000000000000}]\n"
    assert recorder.calls == [((1, "two", b"3", [4.5, None], (True,), {"k": -7}), {"key": 10**30})]


@pytest.mark.parametrize(("source", "error"), [
    ("import host\nhost.not_registered()", "AttributeError"),
    ("not_registered()", "NameError"),
    ("import host\nprint(host.functions())\nhost.__getattr__('nope')()", "TypeError"),
])
def test_unregistered_names_are_not_callable(box: Sandbox, recorder: Recorder, source: str, error: str) -> None:
    with within(QUICK):
        result = box.run(source)
    guest_raised(result, error)
    assert recorder.calls == []


def test_functions_lists_exactly_the_registered_names(box: Sandbox) -> None:
    result = box.run("import host\nprint(sorted(host.functions()))")
    assert result.stdout.strip() == repr(sorted(
        ["echo", "raises_value_error", "raises_private", "raises_recursion", "returns_object",
         "returns_bytes", "returns_nested", "returns_big_int"]))


@pytest.mark.parametrize("argument", [
    "lambda: 1", "object()", "{1, 2}", "frozenset()", "range(3)", "1j", "bytearray(b'x')[0:0] or print",
    "type", "Exception('x')", "iter([])", "memoryview(b'x')", "[object()]", "{'k': {1, 2}}", "{[1]: 2} if 0 else {(1, object()): 3}",
])
def test_values_that_cannot_cross_are_type_errors(box: Sandbox, recorder: Recorder, argument: str) -> None:
    with within(QUICK):
        result = box.run(f"echo({argument})")
    guest_raised(result, "TypeError")
    assert recorder.calls == []


@pytest.mark.parametrize("source", [
    f"echo(b'x' * {MAX_PAYLOAD})",
    f"echo('y' * {MAX_PAYLOAD})",
    f"echo([0] * {MAX_PAYLOAD})",
    f"echo(*range({MAX_PAYLOAD}))",
    f"echo(**{{str(i): i for i in range({MAX_PAYLOAD // 4})}})",
])
def test_oversize_arguments_never_reach_the_host_function(box: Sandbox, recorder: Recorder, source: str) -> None:
    with within(QUICK):
        result = box.run(source)
    guest_raised(result, "ValueError", "max_payload")
    assert recorder.calls == []


def test_oversize_results_are_refused(box: Sandbox) -> None:
    with within(QUICK):
        result = box.run(f"returns_bytes({MAX_PAYLOAD})")
    guest_raised(result, "ValueError", "max_payload")
    assert box.run(f"print(len(returns_bytes({MAX_PAYLOAD // 2})))").stdout == f"{MAX_PAYLOAD // 2}\n"


@pytest.mark.parametrize(("source", "error"), [
    ("a = []\nfor i in range(150):\n    a = [a]\necho(a)", "TypeError"),
    ("a = []\nfor i in range(100000):\n    a = [a]\necho(a)", "RecursionError"),
    ("returns_nested(150)", "TypeError"),
    ("echo(10 ** 5000)", "TypeError"),
    ("returns_big_int()", "TypeError"),
    ("returns_object()", "TypeError"),
])
def test_deep_or_huge_values_are_refused(box: Sandbox, source: str, error: str) -> None:
    with within(QUICK):
        result = box.run(source)
    guest_raised(result, error)


@pytest.mark.parametrize(("source", "error", "message"), [
    ("raises_value_error()", "ValueError", "bad input from the host"),
    ("raises_private()", "Exception", "PrivateError: private detail"),
    ("raises_recursion()", "RuntimeError", "RecursionError"),
])
def test_host_exceptions_become_guest_exceptions(box: Sandbox, source: str, error: str, message: str) -> None:
    with within(QUICK):
        result = box.run(source)
    guest_raised(result, error, message)
    # The host's traceback is not shown to the guest.
    assert "File \"" not in result.exception.message and __file__ not in result.stderr


def test_guest_can_catch_host_exceptions_and_continue(box: Sandbox) -> None:
    result = box.run("try:\n    raises_value_error()\nexcept ValueError as e:\n    print('caught', e)\nprint(echo(1))")
    assert result.ok and result.stdout == "caught bad input from the host\n[[1], {}]\n"


def test_host_function_cannot_reenter_its_own_sandbox() -> None:
    box_ref: list[Sandbox] = []
    attempts: list[str] = []

    def reenter(action: str) -> str:
        box = box_ref[0]
        try:
            if action == "run":
                box.run("print('inner')")
            elif action == "close":
                box.close()
            elif action == "reset":
                box.reset()
            elif action == "register":
                box.register_function(len, "length")
            elif action == "argv":
                box.set_argv(["x"])
        except micropython_wasi.SandboxError as exc:
            attempts.append(action)
            raise exc
        return "allowed"

    with Sandbox(host_functions={"reenter": reenter}) as box:
        box_ref.append(box)
        for action in ("run", "close", "reset", "register", "argv"):
            with within(QUICK):
                result = box.run(f"reenter({action!r})")
            guest_raised(result, "Exception", "SandboxError")
            assert box.alive
        assert attempts == ["run", "close", "reset", "register", "argv"]
        assert box.run("print('outer still works')").stdout == "outer still works\n"


def test_host_function_may_use_another_sandbox() -> None:
    def nested(source: str) -> str:
        return micropython_wasi.run(source).stdout

    with Sandbox(host_functions={"nested": nested}) as box:
        assert box.run("print(nested('print(6 * 7)'))").stdout == "42\n\n"


def test_host_function_running_the_same_sandbox_from_another_thread_is_refused() -> None:
    box_ref: list[Sandbox] = []
    seen: list[BaseException] = []

    def from_thread() -> str:
        def target() -> None:
            try:
                box_ref[0].run("print(1)")
            except BaseException as exc:  # noqa: BLE001 - recorded for the assertion
                seen.append(exc)
        thread = threading.Thread(target=target)
        thread.start()
        thread.join(10)
        return "done"

    with Sandbox(host_functions={"from_thread": from_thread}) as box:
        box_ref.append(box)
        assert box.run("print(from_thread())").stdout == "done\n"
    assert len(seen) == 1 and isinstance(seen[0], micropython_wasi.SandboxError)
    assert "another thread" in str(seen[0])


def test_slow_host_function_counts_against_the_timeout() -> None:
    """The engine cannot interrupt host code, so the run ends when the host function returns."""
    def slow() -> int:
        time.sleep(1.5)
        return 1

    with Sandbox(host_functions={"slow": slow}, timeout=1) as box:
        with within(1.5 + 2 + SLACK), pytest.raises(TimeoutExceeded):
            box.run("while True:\n    slow()")


@pytest.mark.parametrize("exc_type", [KeyboardInterrupt, SystemExit])
def test_host_function_base_exceptions_reach_the_caller(exc_type: type[BaseException]) -> None:
    """KeyboardInterrupt and SystemExit from a host function stop the run and propagate, as in Python."""
    def stop() -> None:
        raise exc_type()

    with Sandbox(host_functions={"stop": stop}) as box:
        with within(QUICK), pytest.raises(exc_type):
            box.run("stop()")
        assert not box.alive
        with pytest.raises(SandboxClosedError):
            box.run("print(1)")


def test_many_calls_are_cheap_and_leave_nothing_behind(box: Sandbox, recorder: Recorder) -> None:
    with within(10):
        result = box.run("for i in range(20000):\n    echo(i, s='x' * 100)\nprint('done')")
    assert result.stdout == "done\n"
    assert len(recorder.calls) == 20000


def test_large_payloads_of_small_values_cost_linear_time() -> None:
    """A payload built from many small values is encoded and decoded in linear time."""
    def count(values: list[int]) -> list[int]:
        return values

    with Sandbox(host_functions={"count": count}) as box, within(QUICK):
        result = box.run("r = count(list(range(200000)))\nprint(len(r), r[-1])")
    assert result.stdout == "200000 199999\n"


def test_payload_of_millions_of_tiny_values_stops_at_the_deadline() -> None:
    """3.3 million empty lists in a 16 MiB payload: decoding stops at the timeout, not 15 s later."""
    calls: list[int] = []

    def take(*args: Any) -> None:
        calls.append(len(args))

    with Sandbox(timeout=2, host_functions={"take": take}) as box:
        box.run("kept = 42\npayload = [[]] * 3_300_000")
        # (Usually "... while host function 'take' ran ..."; on a loaded machine the guest's own
        # encoding may already take the whole timeout.)
        with within(2 + 0.3 + SLACK), pytest.raises(TimeoutExceeded, match="and was interrupted"):
            box.run("take(payload)")
        assert not calls
        assert box.alive and box.run("print(kept)").stdout == "42\n"
