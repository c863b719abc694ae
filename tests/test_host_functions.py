"""Host functions: calls from the guest, values both ways, errors both ways, limits."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micropython_wasi import OptionError, Sandbox, SandboxClosedError, SandboxError, run
from micropython_wasi import _codec


def test_positional_and_keyword_arguments() -> None:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []

    def record(*args: Any, **kwargs: Any) -> str:
        calls.append((args, kwargs))
        return "ok"

    result = run("print(record(1, 'two', three=3.0))\nimport host\nprint(host.record())",
                 host_functions={"record": record})
    assert result.stdout == "ok\nok\n"
    assert calls == [((1, "two"), {"three": 3.0}), ((), {})]


def test_register_function_as_builtin_and_host_attribute() -> None:
    with Sandbox() as sb:
        @sb.register_function
        def double(x: int) -> int:
            return 2 * x

        sb.register_function(lambda s: s[::-1], name="reverse")
        out = sb.run("import host\nprint(double(21), host.double(2), reverse('abc'), sorted(host.functions()))")
        assert out.stdout == "42 4 cba ['double', 'reverse']\n"
        assert set(sb.host_functions) == {"double", "reverse"}
        # Registering again replaces the function.
        sb.register_function(lambda x: -x, name="double")
        assert sb.run("print(double(5))").stdout == "-5\n"
        assert "<host function double>" in sb.run("print(double)").stdout


def test_values_cross_both_ways_exactly() -> None:
    values = [None, True, False, 0, -1, 2**30, 2**31, -(2**63), 2**63 - 1, 2**64, -(10**40), 1.5, -0.0,
              float("inf"), "", "h\u00e9\u2603\U0001f600", b"", b"\x00\xff", [1, [2, []]], (1, (2,)), (),
              {"a": 1, 2: [3], (4, 5): None}]
    seen: list[Any] = []

    def echo(value: Any) -> Any:
        seen.append(value)
        return value

    with Sandbox(host_functions={"echo": echo}) as sb:
        for value in values:
            literal = repr(value).replace("inf", "float('inf')")
            out = sb.run(f"v = {literal}\nr = echo(v)\nprint(r == v, type(r) is type(v))").stdout
            assert out == "True True\n", (value, out)
    assert seen == values
    assert math.copysign(1.0, seen[12]) == -1.0 and values[12] == 0.0


def test_nan_crosses() -> None:
    out = run("x = nan_of(1)\nprint(x != x, type(x))", host_functions={"nan_of": lambda _: float("nan")})
    assert out.stdout == "True <class 'float'>\n"


def test_bytearray_and_subclasses_cross_as_base_types() -> None:
    got: list[Any] = []
    run("f(bytearray(b'ab'))", host_functions={"f": got.append}).check()
    assert got == [b"ab"] and type(got[0]) is bytes

    class MyList(list):  # type: ignore[type-arg]
        pass

    out = run("v = g()\nprint(v, type(v))", host_functions={"g": lambda: MyList([1, 2])})
    assert out.stdout == "[1, 2] <class 'list'>\n"


values_strategy = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text() | st.binary(),
    lambda children: st.lists(children, max_size=4) | st.tuples(children, children)
    | st.dictionaries(st.text(max_size=5) | st.integers(), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=values_strategy)
def test_round_trip_through_the_guest(value: Any) -> None:
    returned: list[Any] = []
    with Sandbox(host_functions={"get": lambda: value, "put": returned.append}) as sb:
        sb.run("put(get())").check()
    assert returned == [value]


@given(value=values_strategy)
def test_codec_round_trip(value: Any) -> None:
    assert _codec.decode(_codec.encode(value)) == value


def test_codec_rejects_malformed_data() -> None:
    for data in (b"", b"X", b"i\x00", b"s\xff\xff\xff\xff", b"l\x05\x00\x00\x00N", b"NN", b"I\x02\x00\x00\x00zz"):
        with pytest.raises(_codec.CodecError):
            _codec.decode(data)
    with pytest.raises(_codec.CodecError, match="nested more than"):
        _codec.decode(b"l\x01\x00\x00\x00" * 200 + b"N")


def test_host_exception_is_catchable_in_the_guest_with_its_message() -> None:
    def fail(kind: str) -> None:
        if kind == "value":
            raise ValueError("bad value")
        if kind == "key":
            raise KeyError("k")
        if kind == "custom":
            class QuotaExceeded(PermissionError):
                pass
            raise QuotaExceeded("over quota")
        raise RuntimeError("plain")

    source = """
for kind in ('value', 'key', 'custom', 'other'):
    try:
        fail(kind)
    except Exception as e:
        print(type(e).__name__, e)
"""
    assert run(source, host_functions={"fail": fail}).stdout.splitlines() == [
        "ValueError bad value",
        "KeyError 'k'",
        "OSError QuotaExceeded: over quota",  # PermissionError is OSError in MicroPython
        "RuntimeError plain",
    ]


def test_uncaught_host_exception_ends_the_run_with_a_guest_exception() -> None:
    result = run("boom()", host_functions={"boom": lambda: 1 / 0})
    assert result.exception is not None
    assert result.exception.type == "ZeroDivisionError" and result.exception.message == "division by zero"


def test_guest_passing_an_unsupported_value_is_a_guest_type_error() -> None:
    result = run("f(object())", host_functions={"f": lambda x: x})
    assert result.exception is not None and result.exception.type == "TypeError"
    assert "object" in result.exception.message
    assert run("try:\n    f({1, 2})\nexcept TypeError:\n    print('refused')",
               host_functions={"f": lambda x: x}).stdout == "refused\n"


def test_host_returning_an_unsupported_value_is_a_guest_type_error() -> None:
    result = run("try:\n    f()\nexcept TypeError as e:\n    print(e)", host_functions={"f": lambda: {1, 2}})
    assert "host function 'f' returned a value of type set" in result.stdout


def test_unknown_function_name_is_a_name_error() -> None:
    with Sandbox(host_functions={"known": lambda: 1}) as sb:
        sb._host_functions.pop("known")  # the guest still has the name
        result = sb.run("known()")
        assert result.exception is not None and result.exception.type == "NameError"


def test_payload_limits_both_ways() -> None:
    with Sandbox(max_payload=10_000, host_functions={"size": len, "make": lambda n: "x" * n}) as sb:
        assert sb.run("print(size('y' * 5000))").stdout == "5000\n"
        too_big = sb.run("size('y' * 20000)").exception
        assert too_big is not None and too_big.type == "ValueError"
        assert "arguments to host function 'size' take" in too_big.message and "max_payload" in too_big.message
        assert sb.run("print(len(make(5000)))").stdout == "5000\n"
        reply = sb.run("make(20000)").exception
        assert reply is not None and reply.type == "ValueError" and "result of host function 'make'" in reply.message
        assert sb.run("print('still fine')").stdout == "still fine\n"


def test_big_payloads_within_the_default_limit() -> None:
    blob = bytes(range(256)) * 4096  # 1 MiB
    out = run("data = blob()\nprint(len(data), data[:3], sha(data) == sha(bytes(data)))",
              host_functions={"blob": lambda: blob, "sha": lambda b: __import__("hashlib").sha256(b).hexdigest()})
    assert out.stdout == "1048576 b'\\x00\\x01\\x02' True\n"


def test_deeply_nested_values_are_refused_not_crashing() -> None:
    result = run("v = []\nfor i in range(150):\n    v = [v]\ntry:\n    f(v)\nexcept TypeError as e:\n    print(e)",
                 host_functions={"f": lambda v: None})
    assert "nested more than" in result.stdout


def test_reentrant_run_from_a_host_function_is_refused() -> None:
    errors: list[BaseException] = []
    sb = Sandbox()

    def reenter() -> str:
        for action in (lambda: sb.run("pass"), sb.reset, sb.close, lambda: sb.register_function(len),
                       lambda: sb.set_argv(["x"])):
            try:
                action()
            except SandboxError as exc:
                errors.append(exc)
        return "refused"

    sb.register_function(reenter)
    assert sb.run("print(reenter())").stdout == "refused\n"
    assert len(errors) == 5
    assert "re-entrant" in str(errors[0])
    assert sb.run("print('alive')").stdout == "alive\n"
    sb.close()


def test_a_host_function_may_use_another_sandbox() -> None:
    with Sandbox() as inner:
        def evaluate(code: str) -> str:
            return inner.run(code).stdout

        out = run("print(evaluate('print(6 * 7)').strip())", host_functions={"evaluate": evaluate})
        assert out.stdout == "42\n"


def test_keyboard_interrupt_in_a_host_function_propagates_and_ends_the_sandbox() -> None:
    def interrupted() -> None:
        raise KeyboardInterrupt

    with Sandbox(host_functions={"interrupted": interrupted}) as sb:
        with pytest.raises(KeyboardInterrupt):
            sb.run("interrupted()")
        with pytest.raises(SandboxClosedError):
            sb.run("pass")


@pytest.mark.parametrize("name", ["1abc", "with space", "class", "", "functions", 3])
def test_bad_function_names(name: Any) -> None:
    with pytest.raises(OptionError):
        Sandbox(host_functions={name: len})
    with Sandbox() as sb, pytest.raises(OptionError):
        sb.register_function(len, name=name)


def test_register_function_needs_a_callable_with_a_name() -> None:
    with Sandbox() as sb:
        with pytest.raises(OptionError, match="needs a callable"):
            sb.register_function(42)  # type: ignore[arg-type]
        with pytest.raises(OptionError, match="pass name="):
            sb.register_function(lambda: 1)


def test_error_replies_are_cut_to_max_payload() -> None:
    """An exception message from a host function is cut so that the reply fits max_payload."""
    def fail() -> None:
        raise ValueError("x" * 100_000)

    with Sandbox(host_functions={"fail": fail}, max_payload=1000) as box:
        result = box.run("try:\n    fail()\nexcept ValueError as e:\n    print(len(str(e)), str(e)[-3:])")
    length, tail = result.stdout.split()
    assert 900 < int(length) < 1000 and tail == "..."
