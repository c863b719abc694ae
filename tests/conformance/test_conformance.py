"""MicroPython's own test suite against the image (see run_conformance.py).

The default test run checks the runner itself and a sample of upstream tests
from every directory; `pytest -m slow` runs the whole suite against the
installed image and against an image of the full variant.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import run_conformance as rc
from run_conformance import ConformanceError, Expectations, evaluate, parse_expectations

# Upstream tests run by default: a few from each directory, chosen for what
# the port had to get right (REPL line editing and paste mode, errno values,
# the current directory, atexit, recursion limits, frozen modules), plus a
# test expected to fail and one expected to be skipped.
SAMPLE = [
    "basics/int1.py",
    "basics/exception1.py",
    "basics/gen_yield_from.py",
    "basics/sys_exit.py",
    "basics/errno1.py",
    "micropython/heapalloc_exc_raise.py",
    "micropython/meminfo.py",
    "micropython/viper_misc.py",
    "misc/sys_atexit.py",
    "misc/print_exception.py",
    "extmod/binascii_a2b_base64.py",
    "extmod/json_loads.py",
    "extmod/random_basic.py",
    "extmod/re_stack_overflow.py",
    "extmod/vfs_posix_enoent.py",
    "extmod/vfs_posix_paths.py",
    "stress/recursion.py",
    "float/float1.py",
    "unicode/file1.py",
    "import/import_pkg1.py",
    "import/import_file.py",
    "io/argv.py",
    "io/file_seek.py",
    "io/file_stdio.py",
    "cmdline/cmd_compile_only.py",
    "cmdline/cmd_module_atexit_exc.py",
    "cmdline/cmd_optimise.py",
    "cmdline/cmd_sys_exit_error.py",
    "cmdline/repl_autocomplete.py",
    "cmdline/repl_autoindent.py",
    "cmdline/repl_cont.py",
    "cmdline/repl_paste.py",
]


# -- the expectations file and the verdicts ---------------------------------------


def _expectations(text: str) -> Expectations:
    return parse_expectations("variants: standard full\n" + text, "test")


def test_expectations_file_is_valid_and_every_entry_has_a_reason() -> None:
    expectations = rc.load_expectations()
    assert expectations.variants == ["standard", "full"]
    assert len(expectations.entries) > 30
    for entry in expectations.entries:
        assert len(entry.reason) > 15, entry
        assert entry.status in rc.STATUSES


@pytest.mark.skipif(not (rc.MICROPYTHON_DIR / "tests").is_dir(), reason="needs micropython/tests")
def test_every_expectation_names_upstream_tests() -> None:
    tests = rc.find_tests(rc.MICROPYTHON_DIR / "tests", rc.TEST_DIRS)
    for path in (rc.EXPECTATIONS_FILE, rc.COMMAND_EXPECTATIONS_FILE, rc.TORTURE_EXPECTATIONS_FILE):
        for entry in rc.load_expectations(path).entries:
            assert any(entry.matches(t) for t in tests), f"{path.name} line {entry.line}: {entry.pattern} matches no test"


def test_command_expectations_file_is_valid_and_every_entry_has_a_reason() -> None:
    expectations = rc.load_expectations(rc.COMMAND_EXPECTATIONS_FILE)
    assert expectations.variants == ["standard", "full"]
    for entry in expectations.entries:
        assert len(entry.reason) > 15, entry


@pytest.mark.parametrize(("line", "message"), [
    ("skipp basics/int1.py no such status", "unknown status 'skipp'"),
    ("skip basics/int1.py", "expected 'STATUS PATTERN [@VARIANTS] REASON'"),
    ("fail basics/int1.py @standard", "has no reason"),
    ("fail basics/int1.py @tiny never", "variant 'tiny' is not one of the file's variants"),
    ("skip /abs/int1.py reason", "must be relative to micropython/tests"),
    ("skip basics/int1.py @ reason", "'@' must be followed by variant names"),
])
def test_bad_expectation_lines_are_reported_with_their_line(line: str, message: str) -> None:
    with pytest.raises(ConformanceError, match="test:2: ") as info:
        _expectations(line)
    assert message in str(info.value)


def test_an_expectations_file_without_variants_is_refused() -> None:
    with pytest.raises(ConformanceError, match="no 'variants:' line"):
        parse_expectations("skip basics/int1.py some reason", "test")


def test_images_of_other_variants_are_refused() -> None:
    with pytest.raises(ConformanceError, match="not 'minimal'"):
        _expectations("").check_variant("minimal")


def test_outcomes_are_checked_against_the_expectations() -> None:
    expectations = _expectations(
        "skip micropython/viper_*.py  no native emitter\n"
        "fail micropython/meminfo.py  split heap\n"
        "skip extmod/framebuf*.py @standard  full variant only\n"
        "exclude thread/*  no threads\n"
        "skip extmod/ssl_*.py  never decides anything here\n"
    )
    outcomes = {
        "basics/int1.py": "pass",                   # ok: not listed, passes
        "basics/int2.py": "fail",                   # unexpected failure
        "basics/int3.py": "skip",                   # unexpected skip
        "micropython/viper_misc.py": "skip",        # ok
        "micropython/viper_args.py": "pass",        # unexpected pass
        "micropython/meminfo.py": "fail",           # ok: expected failure
        "extmod/framebuf1.py": "skip",              # ok in standard, unexpected in full
        "thread/thread_start1.py": "not run",       # ok
    }
    results, stale = evaluate(outcomes, expectations.entries, "standard")
    problems = {r.test: r.problem for r in results if not r.ok}
    assert set(problems) == {"basics/int2.py", "basics/int3.py", "micropython/viper_args.py"}
    assert problems["basics/int2.py"] == "unexpected failure"
    assert problems["basics/int3.py"] == "unexpected skip"
    assert str(problems["micropython/viper_args.py"]).startswith("unexpected pass (expectations.txt says skip")
    assert [e.pattern for e in stale] == ["extmod/ssl_*.py"]

    results, _ = evaluate(outcomes, expectations.entries, "full")
    assert {r.test for r in results if not r.ok} == {
        "basics/int2.py", "basics/int3.py", "micropython/viper_args.py", "extmod/framebuf1.py"}


def test_the_last_matching_entry_decides() -> None:
    expectations = _expectations(
        "skip basics/*.py  everything skipped\n"
        "fail basics/int1.py  but this one fails\n"
    )
    results, stale = evaluate({"basics/int1.py": "fail", "basics/int2.py": "skip"}, expectations.entries, "full")
    assert all(r.ok for r in results) and not stale


def test_summary_counts_per_directory_and_totals() -> None:
    expectations = _expectations("fail micropython/meminfo.py  split heap\nexclude thread/*  no threads\n")
    outcomes = {"basics/a.py": "pass", "basics/b.py": "skip", "micropython/meminfo.py": "fail",
                "micropython/c.py": "fail", "thread/t.py": "not run"}
    results, _ = evaluate(outcomes, expectations.entries, "standard", check_stale=False)
    report = rc.Report("standard", "image.wasm", "1.28.0", results, duration=12.3, jobs=2, date="2026-01-01")
    table = report.by_directory()
    assert table["basics"] == {"passed": 1, "failed": 0, "expected_fail": 0, "skipped": 1, "not_run": 0, "total": 2}
    assert table["micropython"]["failed"] == 1 and table["micropython"]["expected_fail"] == 1
    assert report.totals() == {"passed": 1, "failed": 1, "expected_fail": 1, "skipped": 1, "not_run": 1, "total": 5}
    text = report.summary_text()
    assert "micropython/c.py: unexpected failure" in text
    assert text.rstrip().endswith("RESULT: FAILED")
    data = report.to_json()
    assert data["ok"] is False and data["totals"]["total"] == 5
    assert data["tests"]["micropython/meminfo.py"] == {"outcome": "fail", "expected": "fail", "reason": "split heap"}


# -- running upstream's tests -------------------------------------------------------

needs_upstream = pytest.mark.skipif(
    sys.platform == "win32" or not (rc.MICROPYTHON_DIR / "tests" / "run-tests.py").is_file(),
    reason="needs micropython/tests (a clone with its submodule) and a POSIX system "
           "(run-tests.py runs the REPL tests on pseudo-terminals)")


@needs_upstream

def test_a_sample_of_the_suite_ends_as_expected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A few tests from every directory, through run-tests.py and the micropython-wasi command."""
    summary = tmp_path / "summary.json"
    status = rc.main(["-q", "-j", "1", "--json", str(summary), *SAMPLE])
    out = capsys.readouterr().out
    assert status == 0, out
    data = json.loads(summary.read_text())
    assert data["ok"] and data["totals"]["total"] == len(SAMPLE)
    tests = data["tests"]
    assert tests["cmdline/repl_paste.py"]["outcome"] == "pass"
    assert tests["micropython/meminfo.py"] == {
        "outcome": "fail", "expected": "fail", "reason": tests["micropython/meminfo.py"]["reason"]}
    assert tests["micropython/viper_misc.py"]["outcome"] == "skip"
    assert "RESULT: OK" in out and "directory" in out


@needs_upstream
def test_unknown_tests_are_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert rc.main(["-q", "basics/no_such_test.py"]) == 2
    assert "no such test: basics/no_such_test.py" in capsys.readouterr().err


@needs_upstream
@pytest.mark.slow
def test_whole_suite_on_the_installed_image() -> None:
    report = rc.run(rc.default_image(), jobs=2, quiet=True)
    assert report.ok, report.summary_text()
    assert report.totals()["passed"] > 800


@needs_upstream
@pytest.mark.slow
def test_whole_suite_on_the_full_variant() -> None:
    image = rc.build_variant("full", rc.REPO / "build" / "conformance-full")
    report = rc.run(image, jobs=2, quiet=True)
    assert report.ok, report.summary_text()
    assert report.totals()["passed"] > 900


@needs_upstream
@pytest.mark.slow
def test_whole_suite_on_the_command_image() -> None:
    # The WASI command image under the wasmtime command (docs/command.md).
    image = rc.build_variant("standard", rc.REPO / "build" / "image-standard-command", "command")
    report = rc.run(image, jobs=2, quiet=True)
    assert report.ok, report.summary_text()
    assert report.totals()["passed"] > 800
