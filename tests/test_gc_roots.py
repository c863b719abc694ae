"""The GC finds every pointer the interpreter's wasm code holds.

MicroPython's collector scans the C stack in linear memory; wasm code also
keeps values in locals and on the operand stack, which no scan sees. The build
makes them visible (binaryen --flatten, then --spill-pointers: see the wasm-opt
step in ports/wasi/CMakeLists.txt), and the port's stack scan keeps an object
that a stack word points into, not only at (gc_collect in ports/wasi/main.c).

Before, with --spill-pointers alone and only pointers to an object's start
followed, `math.factorial(25000)` failed with "unsupported types for __mul__:
'', 'int'" (a freed object's type) and `math.factorial(40000)` trapped: the C
code kept one product on the operand stack while the next call allocated.

The programs below exercise C paths of that shape (big integers, string
formatting, containers, the compiler, re.sub callbacks) with `gc.threshold(0)`,
which collects before every allocation, and compare their output with
CPython's. Checked 2026-12-01: the image as it was before got every one of
them wrong that existed then ("big integers", "compiling", "containers",
"exceptions and closures", "string formatting" and the factorial test); an
image with the interior-pointer scan but --spill-pointers alone
(MICROPY_WASI_GC_ROOTS=locals) gets "factorial" and "exceptions and
closures" wrong; one with --flatten but without the interior-pointer scan
gets "regex callbacks" wrong. The slow test at the end shows the first of
those; the torture tests (`pytest -m torture`, about 20 minutes on 2 cores)
run upstream's whole suite and this project's interpreter tests against a
GC-torture build of the image.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import micropython_wasi

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

# Collect before every allocation (MicroPython's gc.threshold counts bytes
# allocated since the last collection; 0 means always). Set in a run of its
# own, so that compiling the next program is tortured too.
TORTURE = "import gc\ngc.threshold(0)"

PROGRAMS = {
    # Failed to compile (a SyntaxError, or `print` bound to an int) on images
    # with code objects (MICROPY_PY_BUILTINS_CODE >= BASIC; 2026-12-01): the
    # parse tree lay in mpw_exec's own frame, which the stack scan then missed.
    "comprehensions": """
        print([i * 2 for i in range(3)])
        print(sorted({str(i): i for i in range(50)}.items())[:3])
        print(sum(x * x for x in range(100)), {k % 5 for k in range(30)}, max((len(s), s) for s in "ab abc a".split()))
    """,
    "factorial": """
        import math
        for n in (300, 1000, 3000):
            print(n, math.factorial(n) % 1000000007)
    """,
    "big integers": """
        a = 3 ** 200 + 7
        b = [a * i + (a >> i) - (a & (i * 977)) for i in range(1, 40)]
        print(sum(b) % 1000000007, max(b) % 998244353)
        print(pow(a, 65537, 2 ** 521 - 1) % 1000003)
        q, r = divmod(a * a + 12345, a + 1)
        print(q % 99991, r % 99991)
        print(int(str(a * a)) == a * a, hex(a)[-12:], (a * -a) // (a + 3) % 10007)
        c = 1
        for i in range(1, 300):
            c = c * i + (c >> 3)
        print(c % 1000000007)
    """,
    "string formatting": """
        rows = []
        for i in range(60):
            rows.append('%s-%r-%d-%x-%5.2f' % ('k' + str(i), [i, str(i)], i * 7, i * 255, i / 7))
            rows.append('{} {!r} {:>8} {:08.3f}'.format(i, 'v%d' % i, str(i) * 2, i / 3))
            rows.append(f'{i:04d}|{str(i) + "x":<6}|{[i, i + 1]!r}|{i * 1.5:.1f}')
        text = '\\n'.join(rows)
        print(len(text), text.count('-'), text[-60:])
        print(','.join(str(i) + ':' + repr(str(i)) for i in range(30)))
        print('/'.join(x.upper() + x for x in text.split('|')[:20]))
    """,
    "containers": """
        data = [(str(i % 17), i, [i] * (i % 3)) for i in range(200)]
        s = sorted(data, key=lambda x: (x[0], -x[1]))
        print(s[:3], s[-1])
        d = {k: [v] * 2 for k, v, _ in data}
        print(sorted(d.items())[:4])
        print(list(map(str, range(20))) + [str(x) for x in range(5)])
        t = tuple(range(50)) + tuple(str(i) for i in range(50))
        print(len(t), t[49:52])
        print(sorted(set(str(i % 23) for i in range(200)) | set(['a', 'b'])))
        nested = [[str(i), (i, str(i))] * 2 for i in range(40)]
        print(nested[39], len(nested))
        print(sorted(dict(zip([str(i) for i in range(10)], [[i] for i in range(10)])).items()))
    """,
    "compiling": """
        class Resource:
            def __init__(self, name):
                self.name = name
            async def __aenter__(self):
                return self.name
            async def __aexit__(self, *exc):
                return False
        async def work(items):
            out = []
            async with Resource('r') as name:
                for i in items:
                    if (j := i * 2) > 3:
                        out.append(f'{name}{j}')
            return out
        coro = work(range(5))
        try:
            coro.send(None)
        except StopIteration as stop:
            print(stop.value)
        table = {f'k{i}': [x ** 2 for x in range(i) if x % 2] for i in range(8)}
        print(sorted(table.items())[-2:], (lambda *a, **k: (a, sorted(k)))(1, 2, z=3, y=4))
    """,
    "regex callbacks": """
        import re
        def double(m):
            return str(int(m.group(0)) * 2)
        print(re.sub(r"\\d+", double, "10 20 30 40 50"))
        print(re.sub(r"\\d+", lambda m: str(int(m.group(0)) // 2), "10 20 30 40 50"))
        def A():
            return "A"
        print(re.sub("a", A(), "aBCBABCDabcda."))
        print(re.sub(r"def\\s+([a-zA-Z_][a-zA-Z_0-9]*)\\s*\\(\\s*\\):",
                     "static PyObject*\\npy_\\\\1(void){\\n  return;\\n}\\n",
                     "\\n\\ndef myfunc():\\n\\ndef myfunc1():\\n\\ndef myfunc2():"))
        print(re.compile("(calzino) (blu|bianco|verde) e (scarpa) (blu|bianco)").sub(
            r"\\g<1> colore \\2 con \\g<3> colore \\4? ...", "calzino blu e scarpa verde"))
        print(re.sub("(abc)", r"\\1\\1", "abc"), re.sub("(a)", r"\\1b", "a1a2a3a"))
        for r in ["b\\\\2", "b\\\\199999999999999999999999999999999999999"]:
            try:
                re.sub("(a)", r, "a")
            except Exception:
                print("invalid group")
        print(re.sub("a", "a", "a"), re.sub(b".", b"a", b"a"), re.sub(re.compile("a"), "a", "a"))
    """,
    "exceptions and closures": """
        def make(n):
            return [lambda x, i=i: str(x) + str(i) for i in range(n)]
        out = []
        for i, f in enumerate(make(50)):
            try:
                if i % 7 == 0:
                    raise ValueError('bad %d' % i, [i])
                out.append(f(i))
            except ValueError as e:
                out.append(repr(e.args))
        print(out[:10], len(out))
    """,
}


@pytest.fixture
def sandbox():
    with micropython_wasi.Sandbox(timeout=120) as box:
        yield box


def cpython_output(source: str) -> str:
    return subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_c_paths_under_gc_torture_compute_what_cpython_does(sandbox, name: str) -> None:
    source = textwrap.dedent(PROGRAMS[name])
    sandbox.run(TORTURE)
    result = sandbox.run(source)
    sandbox.run("gc.threshold(-1)")
    assert result.ok, result.stderr
    assert result.stdout == cpython_output(source)


def test_factorial_of_40000_is_exact(sandbox) -> None:
    """The C recursion in math.factorial keeps a product on the operand stack."""
    source = textwrap.dedent("""
        import math
        for n in (25000, 40000):
            x = math.factorial(n)
            print(n, x % 1000000007, x % (2 ** 61 - 1), x % 10 ** 30 == 0)
    """)
    result = sandbox.run(source)
    assert result.ok, result.stderr
    assert result.stdout == cpython_output(source)


def test_the_bundled_image_finds_every_root_and_is_no_test_build() -> None:
    manifest = json_manifest(Path(micropython_wasi.__file__).parent / "image" / "micropython.wasm")
    assert manifest["gc_roots"] == "all"
    assert manifest["gc_torture"] is False


# -- GC-torture builds (slow) -------------------------------------------------

# This project's tests of the interpreter, run against the torture image too.
TORTURE_PROJECT_TESTS = [
    "tests/test_gc_roots.py", "tests/test_image.py", "tests/test_sandbox.py", "tests/test_host_functions.py",
    "tests/test_mounts.py", "tests/test_limits.py", "tests/test_stdlib_modules.py",
]
# Tests bound by time or fuel, which a collection before every allocation
# exceeds (100,000-deep nesting within 10 s; a fuel count set for the normal
# image; the random module's program within 10 s). 211 others pass
# (2026-12-01, 79 s).
TORTURE_DESELECTED = "not test_deep_recursion_raises_recursion_error and not test_fuel_counts_deterministically"


def build_image(build_dir: Path, *defines: str) -> Path:
    """Build an image of the standard variant with these CMake defines."""
    subprocess.run(["cmake", "-S", str(REPO), "-B", str(build_dir), f"-DPython3_EXECUTABLE={sys.executable}",
                    *(f"-D{d}" for d in defines)], check=True, capture_output=True)
    subprocess.run(["cmake", "--build", str(build_dir)], check=True, capture_output=True)
    return build_dir / "micropython.wasm"


@pytest.fixture(scope="module")
def torture_image(tmp_path_factory) -> Path:
    return build_image(tmp_path_factory.mktemp("torture"), "MICROPY_WASI_GC_TORTURE=ON")


@pytest.mark.torture
def test_upstream_suite_passes_under_gc_torture(torture_image: Path) -> None:
    """MicroPython's whole test suite, collecting before every allocation.

    tests/conformance/expectations-torture.txt lists what the torture build may
    do differently, each with its reason (time, or output that depends on when
    the collector runs); nothing else may differ from the normal image.
    """
    sys.path.insert(0, str(HERE / "conformance"))
    import run_conformance

    assert json_manifest(torture_image)["gc_torture"] is True
    report = run_conformance.run(torture_image, jobs=os.cpu_count() or 2, quiet=True)
    print(report.summary_text())
    assert report.ok, "\n".join(f"{r.test}: {r.problem}\n{r.detail}" for r in report.problems)


@pytest.mark.torture
def test_project_tests_pass_under_gc_torture(torture_image: Path) -> None:
    """This project's tests of the interpreter itself, run against the torture image."""
    env = dict(os.environ, MICROPY_WASI_IMAGE=str(torture_image))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", TORTURE_DESELECTED,
         "--deselect", "tests/test_stdlib_modules.py::test_same_output_as_cpython[random]", *TORTURE_PROJECT_TESTS],
        cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.slow
def test_gc_torture_catches_an_image_that_misses_operand_stack_roots(tmp_path: Path) -> None:
    """The torture run fails on an image built with --spill-pointers alone.

    Measured 2026-12-01 with such a torture image: "factorial" traps (and,
    depending on the image's contents, "exceptions and closures" fails to
    compile), and
    upstream's whole suite gave 549 passed, 353 failed, 414 tests not as
    expected, where the default method gives 807 passed and 0 failed.
    """
    image = build_image(tmp_path / "locals", "MICROPY_WASI_GC_TORTURE=ON", "MICROPY_WASI_GC_ROOTS=locals")
    wrong = []
    for name in sorted(PROGRAMS):
        source = textwrap.dedent(PROGRAMS[name])
        try:
            with micropython_wasi.Sandbox(image=image, timeout=120) as box:
                result = box.run(source)
            if result.stdout != cpython_output(source):
                wrong.append(name)
        except micropython_wasi.SandboxError:
            wrong.append(name)
    # math.factorial keeps a product on the operand stack while the next call
    # allocates: whatever the heap's layout, that image frees it.
    assert "factorial" in wrong, f"without the fix only these went wrong: {wrong}"


@pytest.mark.torture
def test_full_variant_computes_what_cpython_does_under_gc_torture(tmp_path: Path) -> None:
    """The full variant (the "everything" level, with code objects and marshal) under GC torture.

    With code objects, and a stack scan that stopped where the entry point
    marked the stack's top (below its own frame), "comprehensions" failed to
    compile ("SyntaxError: can't assign to expression"), "exceptions and
    closures" trapped and "big integers", "compiling" and "containers" ran
    past the timeout (2026-12-01; ports/wasi/heap.c, gc_collect).
    """
    image = build_image(tmp_path / "full", "MICROPY_WASI_GC_TORTURE=ON", "MICROPY_WASI_VARIANT=full")
    assert json_manifest(image)["variant"] == "full"
    for name in sorted(PROGRAMS):
        source = textwrap.dedent(PROGRAMS[name])
        with micropython_wasi.Sandbox(image=image, timeout=120) as box:
            result = box.run(source)
        assert result.ok, f"{name}: {result.stderr}"
        assert result.stdout == cpython_output(source), name


def json_manifest(image: Path) -> dict:
    import json

    return json.loads(image.with_suffix(".json").read_text())
