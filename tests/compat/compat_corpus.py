"""The differential compatibility corpus: each program under tests/compat/programs/
runs under the host CPython and in the sandbox; it passes when both print the
same stdout and end with the same uncaught exception type (or none).

    python tests/compat/compat_corpus.py                    # run, print failures and pass rates
    python tests/compat/compat_corpus.py --update-baseline  # rewrite baseline.json from this run
    python tests/compat/compat_corpus.py --show NAME        # both outputs of one program

CPython runs every program in one worker process (`--cpython-worker`), each in
a fresh `__main__` module; the sandbox runs each in a fresh interpreter
(`micropython_wasi.run`, about a millisecond to start).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import json
import os
import re
import subprocess
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
BASELINE = HERE / "baseline.json"
TIMEOUT = 10.0  # seconds per program in the sandbox; the corpus programs take milliseconds


@dataclass(frozen=True)
class Outcome:
    stdout: str
    exception: str | None  # the uncaught exception's type name, or a "limit: ..." for the sandbox
    message: str = ""


@dataclass(frozen=True)
class Comparison:
    name: str  # "category/program.py"
    expected: Outcome  # CPython
    actual: Outcome  # the sandbox

    @property
    def category(self) -> str:
        return self.name.split("/", 1)[0]

    @property
    def passed(self) -> bool:
        return self.expected.stdout == self.actual.stdout and self.expected.exception == self.actual.exception

    def explain(self) -> str:
        """One line: how the sandbox's outcome differs from CPython's."""
        if self.actual.exception != self.expected.exception and self.actual.exception:
            return f"{self.actual.exception}: {self.actual.message}".strip()
        if self.actual.exception != self.expected.exception:
            return f"CPython raised {self.expected.exception}: {self.expected.message}; the sandbox did not"
        expected, actual = self.expected.stdout.splitlines(), self.actual.stdout.splitlines()
        for number, (want, got) in enumerate(zip(expected, actual), 1):
            if want != got:
                return f"stdout line {number}: expected {want!r}, got {got!r}"
        return f"stdout has {len(actual)} lines, expected {len(expected)}"


def discover(root: Path = PROGRAMS) -> list[str]:
    """The corpus's program names, "category/program.py", sorted."""
    return sorted(p.relative_to(root).as_posix() for p in root.glob("*/*.py"))


def categories(names: list[str]) -> list[str]:
    return sorted({n.split("/", 1)[0] for n in names})


# -- CPython --------------------------------------------------------------------


def _run_here(path: Path) -> Outcome:
    """Run one program in this process, in a fresh __main__ module, capturing stdout."""
    module = types.ModuleType("__main__")
    module.__dict__["__builtins__"] = __builtins__
    saved_main = sys.modules["__main__"]
    stdout, stderr = io.StringIO(), io.StringIO()
    exception: str | None = None
    message = ""
    sys.modules["__main__"] = module
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            # dont_inherit: the program is not under this file's "from __future__ import annotations"
            exec(compile(path.read_text(encoding="utf-8"), "<stdin>", "exec", dont_inherit=True), module.__dict__)
    except SystemExit as exc:
        if exc.code not in (None, 0):
            exception, message = "SystemExit", str(exc.code)
    except BaseException as exc:  # noqa: BLE001 - the program's own uncaught exception is the result
        exception, message = type(exc).__name__, str(exc)
    finally:
        sys.modules["__main__"] = saved_main
    return Outcome(stdout.getvalue(), exception, message)


# The worker's results follow this line: whatever a program writes past the redirection comes before it.
_RESULTS_MARK = "\n--- compat corpus results ---\n"


def _worker(root: Path, names: list[str]) -> None:
    results = {name: _run_here(root / name).__dict__ for name in names}
    sys.stdout.write(_RESULTS_MARK + json.dumps(results))


def run_cpython(names: list[str], root: Path = PROGRAMS, hash_seed: str | None = None) -> dict[str, Outcome]:
    """Run the programs under CPython, all in one new worker process."""
    env = dict(os.environ)
    if hash_seed is not None:
        env["PYTHONHASHSEED"] = hash_seed
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--root", str(root), "--cpython-worker", *names],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8", env=env, timeout=300,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"the CPython worker failed ({proc.returncode}): {proc.stderr[-2000:]}")
    results = json.loads(proc.stdout.rpartition(_RESULTS_MARK)[2])
    return {name: Outcome(**fields) for name, fields in results.items()}


# -- the sandbox ----------------------------------------------------------------


def run_sandbox(names: list[str], root: Path = PROGRAMS, image: str | None = None,
                timeout: float = TIMEOUT) -> dict[str, Outcome]:
    """Run each program in a fresh sandbox interpreter."""
    import micropython_wasi

    outcomes: dict[str, Outcome] = {}
    for name in names:
        source = (root / name).read_text(encoding="utf-8")
        try:
            result = micropython_wasi.run(source, timeout=timeout, image=image)
        except micropython_wasi.LimitExceeded as exc:
            outcomes[name] = Outcome(exc.result.stdout if exc.result else "", f"limit: {type(exc).__name__}", str(exc))
            continue
        except micropython_wasi.SandboxError as exc:
            outcomes[name] = Outcome("", f"sandbox: {type(exc).__name__}", str(exc))
            continue
        if result.exception is not None:
            outcomes[name] = Outcome(result.stdout, result.exception.type, result.exception.message)
        elif result.exit_code != 0:
            outcomes[name] = Outcome(result.stdout, "SystemExit", str(result.exit_code))
        else:
            outcomes[name] = Outcome(result.stdout, None)
    return outcomes


def compare(names: list[str] | None = None, image: str | None = None, root: Path = PROGRAMS) -> list[Comparison]:
    names = discover(root) if names is None else names
    expected = run_cpython(names, root)
    actual = run_sandbox(names, root, image)
    return [Comparison(n, expected[n], actual[n]) for n in names]


# -- the baseline ---------------------------------------------------------------


def load_baseline(path: Path = BASELINE) -> dict[str, Any]:
    """{"measured_on", "image", "causes": {key: one-line description}, "failures": {program: key}}."""
    return json.loads(path.read_text(encoding="utf-8"))


# A name that cannot be imported -> the cause it belongs to.
_MISSING_NAMES = {
    "Counter": "collections-missing", "defaultdict": "collections-missing", "ChainMap": "collections-missing",
    "lru_cache": "functools-missing", "cache": "functools-missing", "total_ordering": "functools-missing",
    "singledispatch": "functools-missing", "cached_property": "functools-missing",
}

# (exception type, message pattern, cause key; {0}, {1} are the pattern's groups)
_RULES = [
    ("ImportError", r"no module named '([\w.]+)'", "no-module-{0}"),
    ("NotImplementedError", r"slices with step", "slice-step"),
    ("AttributeError", r"'str' object has no attribute", "str-methods"),
    ("AttributeError", r"module '(\w+)' has no attribute", "{0}-missing"),
    ("AttributeError", r"'match' object has no attribute", "re-missing"),
    ("AttributeError", r"has no attribute '__mro__'", "no-mro"),
    ("AttributeError", r"has no attribute '__(cause|context)__'", "exc-chaining"),
    ("AttributeError", r"has no attribute '__annotations__'", "annotations"),
    ("AttributeError", r"'int' object has no attribute", "int-methods"),
    ("AttributeError", r"'(\w+)' object has no attribute '(\w+)'", "missing-attr-{0}.{1}"),
    ("NameError", r"name '\w+Error' isn't defined", "exc-types-missing"),
    ("NameError", r"name '(\w+)' isn't defined", "builtins-missing"),
    ("ValueError", r"regex too complex", "re-syntax"),
]


def suggest_cause(comparison: Comparison) -> str:
    """A cause key for a new failure, from the sandbox's error; "unclassified" when no rule fits
    (stdout differences, most often): give those a key by hand."""
    exc, message = comparison.actual.exception, comparison.actual.message
    if exc == "ImportError" and (m := re.match(r"can't import name (\w+)", message)):
        return _MISSING_NAMES.get(m.group(1), f"missing-name-{m.group(1)}")
    for rule_exc, pattern, key in _RULES:
        if exc == rule_exc and (m := re.search(pattern, message)):
            return key.format(*m.groups())
    if exc and exc.startswith("limit"):
        return "limit"
    return "unclassified"


def _updated_cause(comparison: Comparison, old: str | None) -> str:
    """The cause of a failure after a new run: a confident suggestion (from a rule about the
    error, not a guess from a missing attribute) wins; a missing module that no longer stops
    the program is stale; any other earlier cause, given by hand, stays."""
    suggested = suggest_cause(comparison)
    if suggested != "unclassified" and not suggested.startswith("missing-"):
        return suggested
    if old is None or old.startswith("no-module-"):
        return suggested
    return old


def update_baseline(comparisons: list[Comparison], path: Path = BASELINE, image: str | None = None) -> dict[str, Any]:
    """Rewrite the baseline from a run: passing programs leave it, new failures get a suggested cause."""
    import micropython_wasi

    baseline = load_baseline(path) if path.exists() else {"causes": {}, "failures": {}}
    old = baseline.get("failures", {})
    failures = {c.name: _updated_cause(c, old.get(c.name)) for c in comparisons if not c.passed}
    causes = dict(baseline.get("causes", {}))
    for key in set(failures.values()) - set(causes):
        causes[key] = "TODO: describe this difference in one line"
    info = micropython_wasi.image_info(image)
    baseline = {
        "measured_on": datetime.date.today().isoformat(),
        "image": f"MicroPython {info.micropython_version} ({info.variant} variant)",
        "causes": {k: causes[k] for k in sorted(causes) if k in failures.values()},
        "failures": dict(sorted(failures.items())),
    }
    path.write_text(json.dumps(baseline, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return baseline


def against_baseline(comparisons: list[Comparison], baseline: dict[str, Any]) -> tuple[list[Comparison], list[str]]:
    """(failures the baseline does not list, listed programs that now pass)."""
    listed = baseline["failures"]
    unexpected = [c for c in comparisons if not c.passed and c.name not in listed]
    now_passing = [c.name for c in comparisons if c.passed and c.name in listed]
    return unexpected, now_passing


def rates(comparisons: list[Comparison]) -> dict[str, tuple[int, int]]:
    """category -> (passed, total), plus "overall"."""
    table: dict[str, tuple[int, int]] = {}
    for c in comparisons:
        passed, total = table.get(c.category, (0, 0))
        table[c.category] = (passed + c.passed, total + 1)
    table["overall"] = (sum(c.passed for c in comparisons), len(comparisons))
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cpython-worker", nargs="*", metavar="NAME", help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, default=PROGRAMS, help=argparse.SUPPRESS)
    parser.add_argument("--image", help="the image to run (default: the installed package's)")
    parser.add_argument("--update-baseline", action="store_true", help="rewrite baseline.json from this run")
    parser.add_argument("--show", metavar="NAME", help="print both outcomes of one program (category/name.py)")
    args = parser.parse_args(argv)
    if args.cpython_worker is not None:
        _worker(args.root, args.cpython_worker)
        return 0
    if args.show:
        comparison = compare([args.show], args.image)[0]
        for label, outcome in (("CPython", comparison.expected), ("sandbox", comparison.actual)):
            print(f"--- {label}: exception {outcome.exception} {outcome.message}\n{outcome.stdout}")
        print("PASS" if comparison.passed else f"FAIL: {comparison.explain()}")
        return 0
    comparisons = compare(image=args.image)
    for c in comparisons:
        if not c.passed:
            print(f"FAIL {c.name}: [{suggest_cause(c)}] {c.explain()}")
    for category, (passed, total) in rates(comparisons).items():
        print(f"{category:20} {passed:4}/{total:<4} {100 * passed / total:5.1f} %")
    if args.update_baseline:
        update_baseline(comparisons, image=args.image)
        print(f"wrote {BASELINE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
