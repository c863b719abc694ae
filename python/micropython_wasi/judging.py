"""Judging: run a program against test cases and give verdicts as online judges do.

A case gives the program's stdin and its expected stdout, or (with `function=`)
arguments for a named function and its expected return value, or a checker
callable. The cases run in worker processes (see batch.py); each worker compiles
(and, with `function=`, runs) the program once in a Sandbox and starts every
case from that state. Verdicts are computed in the calling process, so expected
values and checkers never enter the sandbox.
"""

from __future__ import annotations

import enum
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .batch import Executor, Progress, TaskRunner, as_done, check_sendable, default_workers
from .errors import (
    FuelExhausted,
    GuestCrash,
    LimitExceeded,
    MemoryLimitExceeded,
    OutputLimitExceeded,
    SandboxError,
    TimeoutExceeded,
)
from .result import Result
from .sandbox import Sandbox

__all__ = ["Case", "CaseResult", "JudgeReport", "Verdict", "judge", "judge_many"]


class Verdict(str, enum.Enum):
    ACCEPTED = "accepted"
    WRONG_ANSWER = "wrong_answer"
    RUNTIME_ERROR = "runtime_error"
    """An uncaught exception (see CaseResult.message), a non-zero exit status, or an
    interpreter crash such as a stack overflow."""
    TIME_LIMIT = "time_limit_exceeded"
    """The wall-clock time limit, or the fuel (instruction) limit if one was given."""
    MEMORY_LIMIT = "memory_limit_exceeded"
    OUTPUT_LIMIT = "output_limit_exceeded"
    COMPILE_ERROR = "compile_error"
    """The program does not compile, or does not define the function to call."""
    INTERNAL_ERROR = "internal_error"
    """Not the program's fault: its worker died, the options were refused, or a checker raised."""

    @property
    def short(self) -> str:
        """The usual abbreviation: AC, WA, RE, TLE, MLE, OLE, CE, IE."""
        return _SHORT[self]

    def __str__(self) -> str:
        return self.value


_SHORT = {
    Verdict.ACCEPTED: "AC", Verdict.WRONG_ANSWER: "WA", Verdict.RUNTIME_ERROR: "RE", Verdict.TIME_LIMIT: "TLE",
    Verdict.MEMORY_LIMIT: "MLE", Verdict.OUTPUT_LIMIT: "OLE", Verdict.COMPILE_ERROR: "CE",
    Verdict.INTERNAL_ERROR: "IE",
}

_MISSING: Any = object()


@dataclass(frozen=True)
class Case:
    """One test case.

    stdin: what the program reads. expected: its expected stdout (compared line by line,
    ignoring trailing spaces and trailing blank lines), or with function=, the expected
    return value (compared with ==). args, kwargs: the call's arguments (function=).
    check: instead of `expected`, a callable given the stdout (or the return value) that
    returns True when it is right; it runs in the calling process.
    """

    stdin: str | None = None
    expected: Any = _MISSING
    args: Sequence[Any] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    check: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class CaseResult:
    """A case's verdict. message: the exception ("ZeroDivisionError: divide by zero"), the
    limit's or the failure's text; None when accepted or a plain wrong answer. result:
    the run's Result (None if the case did not run to one); value: the function's return
    value (function=), else None."""

    index: int
    verdict: Verdict
    message: str | None
    result: Result | None
    value: Any = None

    @property
    def elapsed(self) -> float | None:
        return self.result.elapsed if self.result is not None else None


@dataclass(frozen=True)
class JudgeReport:
    """The verdicts of one program's cases, in the order of the cases."""

    cases: tuple[CaseResult, ...]

    @property
    def total(self) -> int:
        return len(self.cases)

    @property
    def passed(self) -> int:
        return sum(c.verdict is Verdict.ACCEPTED for c in self.cases)

    @property
    def score(self) -> float:
        """The fraction of cases accepted (1.0 when there are none)."""
        return self.passed / self.total if self.cases else 1.0

    @property
    def verdict(self) -> Verdict:
        """ACCEPTED if every case is, else the verdict of the first case that is not."""
        return next((c.verdict for c in self.cases if c.verdict is not Verdict.ACCEPTED), Verdict.ACCEPTED)

    def counts(self) -> dict[Verdict, int]:
        counts: dict[Verdict, int] = {}
        for case in self.cases:
            counts[case.verdict] = counts.get(case.verdict, 0) + 1
        return counts

    def summary(self) -> str:
        """E.g. "WA: 8/10 passed (AC 8, WA 1, TLE 1)"."""
        parts = ", ".join(f"{v.short} {n}" for v, n in sorted(self.counts().items(), key=lambda kv: -kv[1]))
        return f"{self.verdict.short}: {self.passed}/{self.total} passed ({parts})"


# -- in the worker ---------------------------------------------------------------------

class _Run(NamedTuple):
    """A case as the worker saw it: verdict None means it ran to the end (compare it)."""

    verdict: Verdict | None
    message: str | None
    result: Result | None
    value: Any


# The harness, defined in the session once. A case runs in a fresh globals dict
# (stdin mode), or calls the function defined by the program's one run (function=).
_SETUP = """\
import gc
_judge_code = compile(_judge_input(), 'solution.py', 'exec')
def _judge_stdin():
    gc.collect()
    exec(_judge_code, {'__name__': '__main__'})
def _judge_call():
    gc.collect()
    args, kwargs = _judge_input()
    _judge_output(_judge_fn(*args, **kwargs))
"""
_DEFINE = "_judge_ns = {'__name__': 'solution'}\nexec(_judge_code, _judge_ns)"
_FIND = "_judge_fn = _judge_ns.get(_judge_input())\n_judge_output(callable(_judge_fn))"

_LIMIT_VERDICT: dict[type[LimitExceeded], Verdict] = {
    TimeoutExceeded: Verdict.TIME_LIMIT,
    FuelExhausted: Verdict.TIME_LIMIT,
    MemoryLimitExceeded: Verdict.MEMORY_LIMIT,
    OutputLimitExceeded: Verdict.OUTPUT_LIMIT,
}


def _exception_text(result: Result) -> str:
    exc = result.exception
    if exc is not None:
        return f"{exc.type}: {exc.message}" if exc.message else exc.type
    return f"exit status {result.exit_code}"


class _Session:
    """One program, set up in a Sandbox: cases run from that state."""

    def __init__(self, source: str, function: str | None, options: Mapping[str, Any]) -> None:
        self._source = source
        self._function = function
        self._options = dict(options)
        self._input: Any = None
        self._output: Any = _MISSING
        self._sandbox: Sandbox | None = None
        self._failed: _Run | None = None  # a setup failure: every case gets it

    def _host_input(self) -> Any:
        return self._input

    def _host_output(self, value: Any) -> None:
        self._output = value

    def _call(self, source: str, given: Any = None, stdin: str | None = None) -> tuple[_Run | None, Result | None]:
        """Run source in the session; a _Run if it did not finish normally."""
        assert self._sandbox is not None
        self._input, self._output = given, _MISSING
        try:
            return None, self._sandbox.run(source, stdin=stdin)
        except LimitExceeded as exc:
            return _Run(_LIMIT_VERDICT.get(type(exc), Verdict.TIME_LIMIT), str(exc), exc.result, None), exc.result
        except GuestCrash as exc:
            return _Run(Verdict.RUNTIME_ERROR, str(exc), None, None), None
        except (SandboxError, TypeError, ValueError) as exc:
            return _Run(Verdict.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}", None, None), None

    def _setup(self) -> _Run | None:
        try:
            if self._sandbox is None:
                self._sandbox = Sandbox(**self._options, host_functions={
                    "_judge_input": self._host_input, "_judge_output": self._host_output})
            elif not self._sandbox.alive:
                self._sandbox.reset()
        except (SandboxError, TypeError, ValueError) as exc:
            return _Run(Verdict.INTERNAL_ERROR, f"{type(exc).__name__}: {exc}", None, None)
        failed, result = self._call(_SETUP, self._source)
        if failed is not None:
            return failed
        assert result is not None
        if not result.ok:
            return _Run(Verdict.COMPILE_ERROR, _exception_text(result), result, None)
        if self._function is None:
            return None
        failed, result = self._call(_DEFINE)
        if failed is not None:
            return failed
        assert result is not None
        if not result.ok:
            return _Run(Verdict.RUNTIME_ERROR, _exception_text(result), result, None)
        failed, result = self._call(_FIND, self._function)
        if failed is not None:
            return failed
        if self._output is not True:
            return _Run(Verdict.COMPILE_ERROR, f"the program defines no function {self._function!r}", result, None)
        return None

    def case(self, stdin: str | None, args: Sequence[Any], kwargs: Mapping[str, Any]) -> _Run:
        if self._failed is None and (self._sandbox is None or not self._sandbox.alive):
            self._failed = self._setup()
        if self._failed is not None:
            return self._failed
        if self._function is None:
            failed, result = self._call("_judge_stdin()", None, stdin)
        else:
            failed, result = self._call("_judge_call()", [list(args), dict(kwargs)], stdin)
        if failed is not None:
            return failed
        assert result is not None
        if not result.ok:
            return _Run(Verdict.RUNTIME_ERROR, _exception_text(result), result, None)
        if self._function is not None and self._output is _MISSING:
            return _Run(Verdict.RUNTIME_ERROR, "the function's result could not be returned", result, None)
        return _Run(None, None, result, None if self._function is None else self._output)

    def close(self) -> None:
        if self._sandbox is not None:
            self._sandbox.close()


_SESSIONS: OrderedDict[str, _Session] = OrderedDict()
MAX_SESSIONS = 4  # programs a worker keeps set up (cases of one program arrive together)


def _case_task(payload: tuple[Any, ...]) -> _Run:
    key, source, function, options, isolation, stdin, args, kwargs = payload
    if isolation == "fresh":
        session = _Session(source, function, options)
        try:
            return session.case(stdin, args, kwargs)
        finally:
            session.close()
    session_or_none = _SESSIONS.get(key)
    if session_or_none is None:
        session = _SESSIONS[key] = _Session(source, function, options)
        while len(_SESSIONS) > MAX_SESSIONS:
            _SESSIONS.popitem(last=False)[1].close()
    else:
        session = session_or_none
        _SESSIONS.move_to_end(key)
    return session.case(stdin, args, kwargs)


def _lost_case(payload: Any, message: str) -> _Run:
    return _Run(Verdict.INTERNAL_ERROR, message, None, None)


# -- in the calling process ----------------------------------------------------------

def _same_output(actual: str, expected: str) -> bool:
    def lines(text: str) -> list[str]:
        out = [line.rstrip() for line in text.splitlines()]
        while out and not out[-1]:
            out.pop()
        return out
    return lines(actual) == lines(expected)


def _as_case(case: Any, index: int, function: str | None) -> Case:
    if isinstance(case, tuple) and len(case) == 2:
        case = Case(expected=case[1], **({"args": tuple(case[0])} if function else {"stdin": case[0]}))
    if not isinstance(case, Case):
        raise TypeError(f"case {index}: expected a Case or a 2-tuple "
                        f"({'(args, expected)' if function else '(stdin, expected)'}), got {type(case).__name__}")
    if case.expected is _MISSING and case.check is None:
        raise ValueError(f"case {index}: give it `expected` or a `check` callable")
    if function is None and case.check is None and not isinstance(case.expected, str):
        raise TypeError(f"case {index}: the expected stdout must be a str, got {type(case.expected).__name__}")
    if function is None and (case.args or case.kwargs):
        raise ValueError(f"case {index}: args and kwargs need function= (the name of the function to call)")
    return case


def _verdict(index: int, case: Case, run: _Run, function: str | None) -> CaseResult:
    if run.verdict is not None:
        return CaseResult(index, run.verdict, run.message, run.result, run.value)
    assert run.result is not None
    actual = run.value if function is not None else run.result.stdout
    if case.check is not None:
        try:
            right = bool(case.check(actual))
        except Exception as exc:  # noqa: BLE001 - a checker's bug is reported, not raised
            return CaseResult(index, Verdict.INTERNAL_ERROR, f"the checker raised {exc!r}", run.result, run.value)
    elif function is not None:
        right = bool(actual == case.expected)
    else:
        right = _same_output(actual, case.expected)
    return CaseResult(index, Verdict.ACCEPTED if right else Verdict.WRONG_ANSWER, None, run.result, run.value)


def iter_judge(programs: Iterable[tuple[str, Iterable[Any]]], *, function: str | None = None,
               time_limit: float | None = 2.0, memory_limit: int | None = None, output_limit: int | None = None,
               fuel: int | None = None, isolation: str = "session", workers: int | None = None,
               executor: TaskRunner | None = None, progress: bool = False,
               **options: Any) -> Iterator[tuple[int, CaseResult]]:
    """judge_many()'s verdicts as they come: (program index, CaseResult) pairs."""
    if isolation not in ("session", "fresh"):
        raise ValueError(f"isolation must be 'session' or 'fresh', got {isolation!r}")
    if function is not None and not (isinstance(function, str) and function.isidentifier()):
        raise ValueError(f"function must be the name of a function the program defines, got {function!r}")
    limits: dict[str, Any] = {"timeout": time_limit, "fuel": fuel}
    if memory_limit is not None:
        limits["memory_limit"] = memory_limit
    if output_limit is not None:
        limits["max_output"] = output_limit
    sandbox_options = {**options, **limits}
    check_sendable([(0, "", sandbox_options)])
    where: list[tuple[int, int, Case]] = []
    payloads = []
    for number, (source, cases) in enumerate(programs):
        if not isinstance(source, str):
            raise TypeError(f"program {number}: the source must be a str, got {type(source).__name__}")
        key = uuid.uuid4().hex
        for index, raw in enumerate(cases):
            case = _as_case(raw, index, function)
            where.append((number, index, case))
            payloads.append((key, source, function, sandbox_options, isolation, case.stdin,
                             tuple(case.args), dict(case.kwargs)))
    bar = Progress(progress, len(payloads), "case")
    own = Executor(default_workers(len(payloads)) if workers is None else workers) if executor is None else None
    runner: TaskRunner = own or executor  # type: ignore[assignment]
    finished = False
    try:
        for position, run in as_done(runner.run_tasks(_case_task, payloads, _lost_case)):
            number, index, case = where[position]
            bar.update()
            yield number, _verdict(index, case, run, function)
        finished = True
    finally:
        bar.close()
        if own is not None:
            if finished:
                own.shutdown()
            else:
                own.terminate()


def judge_many(programs: Iterable[tuple[str, Iterable[Any]]], **options: Any) -> list[JudgeReport]:
    """Judge many (source, cases) pairs across the worker processes; one JudgeReport each,
    in order. Takes judge()'s options."""
    programs = list(programs)
    found: list[dict[int, CaseResult]] = [{} for _ in programs]
    for number, case in iter_judge(programs, **options):
        found[number][case.index] = case
    return [JudgeReport(tuple(cases[i] for i in range(len(cases)))) for cases in found]


def judge(source: str, cases: Iterable[Any], *, function: str | None = None, time_limit: float | None = 2.0,
          memory_limit: int | None = None, output_limit: int | None = None, fuel: int | None = None,
          isolation: str = "session", workers: int | None = None, executor: TaskRunner | None = None,
          progress: bool = False, **options: Any) -> JudgeReport:
    """Run one program against test cases; return the verdicts and a score.

    cases: Case objects, or (stdin, expected_stdout) pairs, or with function=
    (args, expected_return) pairs. function: call this function of the program for each
    case instead of running the program with the case's stdin.
    time_limit (seconds, wall clock), memory_limit (bytes), output_limit (bytes), fuel:
    per case. isolation: "session" (the program is compiled, and with function= run,
    once per worker; cases share that interpreter) or "fresh" (each case in a new
    interpreter). workers / executor / progress: as for micropython_wasi.map(); other
    options are Sandbox()'s (image, mounts, ...).
    """
    return judge_many([(source, cases)], function=function, time_limit=time_limit, memory_limit=memory_limit,
                      output_limit=output_limit, fuel=fuel, isolation=isolation, workers=workers,
                      executor=executor, progress=progress, **options)[0]
