"""Result.value: the repr of a final expression statement, as the REPL shows it (run(..., value=True))."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from micropython_wasi import Sandbox, TimeoutExceeded


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    with Sandbox(timeout=5) as sandbox:
        yield sandbox


@pytest.mark.parametrize(("source", "value"), [
    ("x = 6 * 7\nx", "42"),
    ("x = 1; x", "1"),
    ("[1,\n 2]  # a comment\n", "[1, 2]"),
    ("(3 +\n  4)\n\n# trailing comment\n", "7"),
    ("'text'", "'text'"),
    ("b'\\x00'", "b'\\x00'"),
    ("{'a': (1,)}", "{'a': (1,)}"),
    ("class A:\n    def __repr__(self):\n        return 'an A'\nA()", "an A"),
    ("None", None),
    ("print('no value')", None),  # print() returns None: the REPL shows nothing either
    ("y = 2", None),
    ("def f():\n    return 1", None),
    ("if True:\n    5", None),
    ("", None),
])
def test_value_of_the_last_expression(box: Sandbox, source: str, value: str | None) -> None:
    result = box.run(source, value=True)
    assert result.ok, result
    assert result.value == value


def test_no_value_unless_asked(box: Sandbox) -> None:
    assert box.run("1 + 1").value is None


def test_nothing_is_printed_and_no_name_is_left(box: Sandbox) -> None:
    result = box.run("print('a')\n'b'", value=True)
    assert (result.stdout, result.stderr, result.value) == ("a\n", "", "'b'")
    assert box.run("sorted(k for k in globals() if 'mpw' in k)", value=True).value == "[]"


def test_tracebacks_keep_their_line_numbers(box: Sandbox) -> None:
    for source in ("a = 1\n\n1 / 0", "a = 1\n(1 +\n  1 / 0)", "a = 1; 1 / 0"):
        plain = box.run(source)
        rewritten = box.run(source, value=True)
        assert rewritten.exception == plain.exception and rewritten.exception is not None
        assert rewritten.value is None
    assert 'line 3' in box.run("a = 1\n\n1 / 0", value=True).exception.traceback  # type: ignore[union-attr]


def test_a_long_repr_is_cut(box: Sandbox) -> None:
    value = box.run("'x' * 200000", value=True).value
    assert value is not None and value.endswith("...") and 90_000 < len(value) <= 100_003


def test_source_that_does_not_parse_runs_as_it_is(box: Sandbox) -> None:
    plain = box.run("x = (")
    result = box.run("x = (", value=True)
    assert result.exception == plain.exception and result.exception is not None
    assert result.exception.type == "SyntaxError" and result.value is None


def test_a_repr_that_hits_the_soft_timeout_gives_no_value() -> None:
    with Sandbox(timeout=0.5) as sandbox:
        result = sandbox.run("class Slow:\n    def __repr__(self):\n        while True:\n            pass\nSlow()",
                             value=True)
        assert result.ok and result.value is None
        assert sandbox.alive
        with pytest.raises(TimeoutExceeded):
            sandbox.run("while True:\n    pass", value=True)
        assert sandbox.run("2", value=True).value == "2"


def test_a_busy_sandbox_refuses_a_run_with_value() -> None:
    from micropython_wasi import SandboxError

    calls: list[str] = []

    with Sandbox() as sandbox:
        def reenter() -> None:
            try:
                sandbox.run("1", value=True)
            except SandboxError as error:
                calls.append(str(error))

        sandbox.register_function(reenter)
        assert sandbox.run("reenter()\n2", value=True).value == "2"
    assert calls and calls[0].startswith("re-entrant call")
