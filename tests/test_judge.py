"""judge(): verdicts as online judges give them, and what cases share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from micropython_wasi import Case, Executor, Verdict, judge, judge_many

ADD = "a, b = map(int, input().split())\nprint(a + b)"


@pytest.fixture(scope="module")
def executor() -> Iterator[Executor]:
    with Executor(2) as pool:
        yield pool


def test_stdin_cases(executor: Executor) -> None:
    report = judge(ADD, [("1 2\n", "3\n"), ("2 2", "5"), ("x y", "0"), ("5 5", "10  \n\n"),
                         Case(stdin="4 4", check=lambda out: out.strip() == "8")], executor=executor)
    assert [c.verdict for c in report.cases] == [
        Verdict.ACCEPTED, Verdict.WRONG_ANSWER, Verdict.RUNTIME_ERROR, Verdict.ACCEPTED, Verdict.ACCEPTED]
    assert report.cases[2].message == "ValueError: invalid syntax for integer with base 10: 'x'"
    assert report.cases[1].result is not None and report.cases[1].result.stdout == "4\n"
    assert (report.passed, report.total, report.score) == (3, 5, 0.6)
    assert report.verdict is Verdict.WRONG_ANSWER
    assert report.summary() == "WA: 3/5 passed (AC 3, WA 1, RE 1)"


def test_function_cases(executor: Executor) -> None:
    source = "def add(a, b=0):\n    return a + b\nprint('top level runs once per worker')"
    report = judge(source, [((1, 2), 3), ((2, 2), 5), (("x", 1), 1), (([1], [2]), [1, 2]),
                            Case(args=(1,), kwargs={"b": 10}, expected=11),
                            Case(args=(0.1, 0.2), check=lambda v: abs(v - 0.3) < 1e-9)],
                   function="add", executor=executor)
    assert [c.verdict.short for c in report.cases] == ["AC", "WA", "RE", "AC", "AC", "AC"]
    assert [c.value for c in report.cases[:2]] == [3, 4]
    assert "TypeError" in (report.cases[2].message or "")


def test_limits_are_verdicts(executor: Executor) -> None:
    report = judge("n = int(input())\nif n == 1:\n    while True: pass\n"
                   "if n == 2:\n    x = bytearray(32 * 1024 * 1024)\n"
                   "if n == 3:\n    while True: print('x' * 100)\n"
                   "if n == 4:\n    import sys\n    sys.exit(3)\n"
                   "if n == 5:\n    def f(): f()\n    f()\n"
                   "print('done')",
                   [(f"{n}", "done") for n in range(6)], time_limit=0.3, memory_limit=16 * 1024 * 1024,
                   output_limit=10_000, executor=executor)
    assert [c.verdict.short for c in report.cases] == ["AC", "TLE", "MLE", "OLE", "RE", "RE"]
    assert report.cases[4].message == "exit status 3"
    assert report.cases[5].message == "RecursionError: maximum recursion depth exceeded"
    assert "timeout of 0.3 s" in (report.cases[1].message or "")


def test_fuel_limit_is_a_time_limit(executor: Executor) -> None:
    report = judge("while True: pass", [("", "")], fuel=100_000, time_limit=None, executor=executor)
    assert report.cases[0].verdict is Verdict.TIME_LIMIT


def test_compile_errors(executor: Executor) -> None:
    assert judge("def f(:\n", [("", "")], executor=executor).verdict is Verdict.COMPILE_ERROR
    report = judge("def g(): pass", [((1,), 1), ((2,), 2)], function="f", executor=executor)
    assert [c.verdict for c in report.cases] == [Verdict.COMPILE_ERROR] * 2
    assert report.cases[0].message == "the program defines no function 'f'"
    # An exception at the top level, in function mode, fails every case.
    report = judge("1 / 0\ndef f(): pass", [((), None)], function="f", executor=executor)
    assert report.cases[0].verdict is Verdict.RUNTIME_ERROR
    assert report.cases[0].message == "ZeroDivisionError: divide by zero"


def test_a_checker_that_raises_is_an_internal_error(executor: Executor) -> None:
    report = judge("print(1)", [Case(check=lambda out: 1 / 0)], executor=executor)  # type: ignore[arg-type,return-value]
    assert report.cases[0].verdict is Verdict.INTERNAL_ERROR
    assert "ZeroDivisionError" in (report.cases[0].message or "")


def test_stdin_cases_do_not_share_globals(executor: Executor) -> None:
    source = "try:\n    seen += 1\nexcept NameError:\n    seen = 1\nprint(seen)"
    report = judge(source, [("", "1")] * 6, executor=executor)
    assert report.passed == 6


def test_function_cases_share_the_programs_state_unless_fresh(executor: Executor) -> None:
    source = "calls = []\ndef f():\n    calls.append(1)\n    return len(calls)"
    cases = [((), 1)] * 4
    shared = judge(source, cases, function="f", executor=executor)
    assert [c.value for c in shared.cases] != [1, 1, 1, 1]  # documented: one interpreter per worker
    fresh = judge(source, cases, function="f", isolation="fresh", executor=executor)
    assert [c.value for c in fresh.cases] == [1, 1, 1, 1]


def test_the_session_recovers_after_a_hard_stop(executor: Executor) -> None:
    # A program that swallows the soft timeout is killed; the next cases get a new interpreter.
    source = ("n = int(input())\nif n == 0:\n    while True:\n        try:\n            while True: pass\n"
              "        except KeyboardInterrupt:\n            pass\nprint(n)")
    report = judge(source, [("0", "0"), ("1", "1"), ("2", "2")], time_limit=0.2, workers=1)
    assert [c.verdict.short for c in report.cases] == ["TLE", "AC", "AC"]


def test_judge_many_keeps_programs_and_cases_in_order(executor: Executor) -> None:
    programs = [(f"print(int(input()) * {k})", [(str(n), str(n * 2)) for n in range(5)]) for k in range(4)]
    reports = judge_many(programs, executor=executor)
    assert [r.passed for r in reports] == [1, 1, 5, 1]  # n * k == n * 2: n = 0, or k = 2
    assert all([c.index for c in r.cases] == list(range(5)) for r in reports)


def test_bad_cases_raise_up_front() -> None:
    with pytest.raises(ValueError, match="case 0: give it `expected` or a `check`"):
        judge("pass", [Case(stdin="")])
    with pytest.raises(TypeError, match="case 1: expected a Case or a 2-tuple"):
        judge("pass", [("", ""), "x"])
    with pytest.raises(ValueError, match="isolation must be"):
        judge("pass", [("", "")], isolation="none")
    with pytest.raises(ValueError, match="args and kwargs need function="):
        judge("pass", [Case(args=(1,), expected="")])
