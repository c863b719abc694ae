"""The compatibility corpus (tests/compat/programs/) in the default suite.

Every program runs under the host CPython and in a fresh sandbox interpreter;
baseline.json lists the programs that differ today, each with its cause. A
program that fails and is not listed fails its category's test, and so does a
listed program that now passes (the list must stay true): after a fix, run
`python tests/compat/compat_corpus.py --update-baseline`, then
`python tests/compat/update_docs.py`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import compat_corpus as corpus
import micropython_wasi

NAMES = corpus.discover()
CATEGORIES = corpus.categories(NAMES)


def _standard_image() -> bool:
    info = micropython_wasi.image_info()
    return info.variant == "standard" and not (info.module_changes or info.user_c_modules or info.user_frozen_modules)


@pytest.fixture(scope="module")
def baseline() -> dict:
    return corpus.load_baseline()


@pytest.fixture(scope="module")
def cpython_outcomes() -> dict[str, corpus.Outcome]:
    return corpus.run_cpython(NAMES, hash_seed="1")


@pytest.fixture(scope="module")
def comparisons(cpython_outcomes: dict[str, corpus.Outcome]) -> list[corpus.Comparison]:
    if not _standard_image():
        pytest.skip("baseline.json describes the standard image; MICROPY_WASI_IMAGE names another")
    actual = corpus.run_sandbox(NAMES)
    return [corpus.Comparison(n, cpython_outcomes[n], actual[n]) for n in NAMES]


def test_corpus_size() -> None:
    assert len(NAMES) >= 300
    for category in CATEGORIES:
        assert sum(n.startswith(category + "/") for n in NAMES) >= 30, category


@pytest.mark.parametrize("category", CATEGORIES)
def test_category_matches_baseline(category: str, comparisons: list[corpus.Comparison], baseline: dict) -> None:
    mine = [c for c in comparisons if c.category == category]
    unexpected, now_passing = corpus.against_baseline(mine, baseline)
    listed = sum(n.startswith(category + "/") for n in baseline["failures"])
    passed = sum(c.passed for c in mine)
    problems = [f"{c.name} fails, not in baseline.json: {c.explain()}" for c in unexpected]
    problems += [f"{name} passes now: remove it from baseline.json (--update-baseline)" for name in now_passing]
    assert not problems, "\n".join(problems)
    assert passed >= len(mine) - listed  # the pass rate did not fall below the baseline's


def test_baseline_is_well_formed(baseline: dict) -> None:
    failures, causes = baseline["failures"], baseline["causes"]
    assert set(failures) <= set(NAMES), set(failures) - set(NAMES)
    assert set(failures.values()) == set(causes), "every cause is used, and every failure has a described cause"
    for key, text in causes.items():
        assert text and "TODO" not in text and "\n" not in text, key
    assert "unclassified" not in causes


def test_cpython_outcomes_do_not_depend_on_hash_order(cpython_outcomes: dict[str, corpus.Outcome]) -> None:
    # The corpus must be deterministic under CPython (no set or hash order in the output).
    again = corpus.run_cpython(NAMES, hash_seed="2")
    assert [n for n in NAMES if cpython_outcomes[n] != again[n]] == []


def test_comparison_catches_stdout_and_exception_differences(tmp_path: Path) -> None:
    programs = {
        "same/print.py": "print(sum(range(10)))",
        "same/raises.py": "print('before')\nraise KeyError('k')",
        "differ/stdout.py": "import sys\nprint(sys.implementation.name)",
        "differ/exception.py": (
            "import sys\nprint('x')\n"
            "raise (KeyError if sys.implementation.name == 'micropython' else ValueError)('boom')"),
        "differ/only_cpython_raises.py": "import sys\nif sys.implementation.name != 'micropython':\n    raise ValueError",
    }
    for name, source in programs.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(source)
    results = {c.name: c for c in corpus.compare(root=tmp_path)}
    assert {n for n, c in results.items() if c.passed} == {"same/print.py", "same/raises.py"}
    assert results["same/raises.py"].actual.exception == "KeyError"
    assert results["differ/stdout.py"].explain() == "stdout line 1: expected 'cpython', got 'micropython'"
    assert results["differ/exception.py"].explain() == "KeyError: boom"
    assert "CPython raised ValueError" in results["differ/only_cpython_raises.py"].explain()


def test_update_baseline_drops_fixed_programs_and_adds_new_failures(tmp_path: Path) -> None:
    path = tmp_path / "baseline.json"
    path.write_text('{"causes": {"old-cause": "described", "gone": "no longer used", "no-module-enum": "no enum"},'
                    ' "failures": {"a/fixed.py": "gone", "a/still.py": "old-cause", "a/enum.py": "no-module-enum",'
                    ' "a/moved.py": "old-cause"}}')
    ok = corpus.Outcome("1\n", None)
    comparisons = [
        corpus.Comparison("a/fixed.py", ok, ok),
        corpus.Comparison("a/still.py", ok, corpus.Outcome("", "TypeError", "x")),
        corpus.Comparison("a/new.py", ok, corpus.Outcome("", "ImportError", "no module named 'typing'")),
        corpus.Comparison("a/order.py", ok, corpus.Outcome("2\n", None)),
        # enum is there now, and the program fails further on: its old cause is stale
        corpus.Comparison("a/enum.py", ok, corpus.Outcome("2\n", None)),
        # a cause a rule is sure of replaces the one given before
        corpus.Comparison("a/moved.py", ok, corpus.Outcome("", "NameError", "name 'vars' isn't defined")),
    ]
    baseline = corpus.update_baseline(comparisons, path)
    assert baseline["failures"] == {"a/enum.py": "unclassified", "a/moved.py": "builtins-missing",
                                    "a/new.py": "no-module-typing", "a/order.py": "unclassified",
                                    "a/still.py": "old-cause"}
    assert baseline["causes"]["old-cause"] == "described" and "gone" not in baseline["causes"]
    assert corpus.load_baseline(path) == baseline


@pytest.mark.parametrize(("exception", "message", "cause"), [
    ("ImportError", "no module named 'dataclasses'", "no-module-dataclasses"),
    ("ImportError", "can't import name Counter", "collections-missing"),
    ("NotImplementedError", "only slices with step=1 (aka None) are supported", "slice-step"),
    ("AttributeError", "module 'math' has no attribute 'gcd'", "math-missing"),
    ("AttributeError", "'str' object has no attribute 'title'", "str-methods"),
    ("NameError", "name 'RecursionError' isn't defined", "exc-types-missing"),
    ("limit: TimeoutExceeded", "the run exceeded its timeout", "limit"),
    (None, "", "unclassified"),
])
def test_suggest_cause(exception: str | None, message: str, cause: str) -> None:
    comparison = corpus.Comparison("c/p.py", corpus.Outcome("", None), corpus.Outcome("", exception, message))
    assert corpus.suggest_cause(comparison) == cause


def test_docs_are_in_sync_with_the_baseline() -> None:
    # docs/compat.md and capabilities.py's summary are generated from baseline.json and the image's manifest.
    if not _standard_image():
        pytest.skip("docs/compat.md lists the standard image's modules; MICROPY_WASI_IMAGE names another")
    import update_docs

    stale = [str(path) for path, text in update_docs.render().items() if path.read_text(encoding="utf-8") != text]
    assert not stale, "out of date (run python tests/compat/update_docs.py): " + ", ".join(stale)


def test_cpython_worker_survives_writes_past_the_redirection(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "raw.py").write_text("import sys\nsys.__stdout__.write('{raw}\\n')\nprint('ok')\ninput()")
    outcome = corpus.run_cpython(["c/raw.py"], root=tmp_path)["c/raw.py"]
    assert outcome == corpus.Outcome("ok\n", "EOFError", "EOF when reading a line")


def test_a_program_over_its_limit_is_a_failure_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "spin.py").write_text("print('started')\nwhile True:\n    pass")
    outcome = corpus.run_sandbox(["c/spin.py"], root=tmp_path, timeout=0.2)["c/spin.py"]
    assert outcome.stdout == "started\n" and outcome.exception == "limit: TimeoutExceeded"


def test_listed_causes_are_current(comparisons: list[corpus.Comparison], baseline: dict, tmp_path: Path) -> None:
    # Updating the baseline from today's run changes no cause: none is stale (a module that is
    # there now, an error that a rule now puts under another cause).
    path = tmp_path / "baseline.json"
    path.write_text(corpus.BASELINE.read_text(encoding="utf-8"), encoding="utf-8")
    updated = corpus.update_baseline(comparisons, path)["failures"]
    changed = {n: f"{baseline['failures'].get(n)} -> {cause}" for n, cause in updated.items()
               if baseline["failures"].get(n) != cause}
    assert not changed, "run python tests/compat/compat_corpus.py --update-baseline and describe new causes"
