"""The interpreter image: the language, the standard modules, frozen code,
recursion limits and garbage collection."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
import wasmtime

import micropython_wasi
from _raw import RawInterpreter

HERE = Path(__file__).resolve().parent


def py(source: str) -> str:
    """Run source in a fresh interpreter; return stdout, failing on any error."""
    result = micropython_wasi.run(textwrap.dedent(source))
    assert result.ok, result.stderr
    return result.stdout


def test_big_ints_and_floats() -> None:
    out = py("""
        print(2**100, -(3**50) // 7, (10**30 + 1) % 97, 1 << 70)
        print(0.1 + 0.2, 1e300 * 10, -1.5e-5, 7 / 2, 2**0.5)
        print(int('123456789012345678901234567890') * 3, float('nan') != float('nan'))
    """)
    assert out.splitlines() == [
        f"{2**100} {-(3**50) // 7} {(10**30 + 1) % 97} {1 << 70}",
        "0.30000000000000004 1e+301 -1.5e-05 3.5 1.4142135623730951",
        f"{123456789012345678901234567890 * 3} True",
    ]


def test_exceptions_across_nested_calls() -> None:
    out = py("""
        class Custom(ValueError):
            pass
        def inner(n):
            if n == 0:
                raise Custom("deep")
            return inner(n - 1)
        def outer():
            try:
                inner(20)
            except ValueError as e:
                return type(e).__name__ + ":" + str(e)
            finally:
                print("finally")
        print(outer())
        try:
            try:
                1 / 0
            except ZeroDivisionError as e:
                raise KeyError("k") from e
        except KeyError as e:
            print(repr(e))
    """)
    assert out.splitlines() == ["finally", "Custom:deep", "KeyError('k',)"]


def test_generators_classes_closures() -> None:
    out = py("""
        def gen(n):
            for i in range(n):
                x = yield i * i
                if x:
                    print("sent", x)
        g = gen(4)
        print(next(g), g.send("a"), list(g))
        class Shape:
            sides = 0
            def __init__(self, name):
                self.name = name
            def __repr__(self):
                return "%s(%d)" % (self.name, self.sides)
        class Square(Shape):
            sides = 4
            @property
            def double(self):
                return self.sides * 2
        s = Square("sq")
        print(s, s.double, isinstance(s, Shape))
        def counter():
            n = 0
            def inc(step=1):
                nonlocal n
                n += step
                return n
            return inc
        c = counter()
        c(); c(5)
        print(c(), sorted({3: 'a', 1: 'b'}.items()), [x for x in range(10) if x % 3 == 0])
    """)
    assert out.splitlines() == ["sent a", "0 1 [4, 9]", "sq(4) 8 True", "7 [(1, 'b'), (3, 'a')] [0, 3, 6, 9]"]


MODULE_CHECKS = {
    "builtins": "print(builtins.len([1, 2]), builtins.sum(range(5)))",
    "sys": "print(sys.platform, sys.implementation.name, sys.maxsize > 2**30)",
    "gc": "gc.collect(); print(gc.mem_free() > 0, gc.isenabled())",
    "micropython": "print(micropython.const(3) + 1)",
    "math": "print(math.sqrt(16), math.floor(-2.5), round(math.pi, 3))",
    "cmath": "print(abs(cmath.sqrt(-4) - 2j) < 1e-9, cmath.phase(-1))",
    "array": "a = array.array('i', [1, 2, 3]); a.append(4); print(sum(a), len(bytes(a)))",
    "collections": "d = collections.OrderedDict([('b', 1), ('a', 2)]); q = collections.deque((), 3); q.append(1); print(list(d), len(q))",
    "struct": "print(struct.pack('<HI', 1, 2), struct.unpack('>h', b'\\xff\\xfe'))",
    "io": "s = io.StringIO(); s.write('abc'); print(s.getvalue(), io.BytesIO(b'xy').read())",
    "json": "print(json.dumps({'a': [1, 2.5, None, True]}), json.loads('[1, \"x\"]'))",
    "re": "m = re.match(r'(\\w+)@(\\w+)', 'me@host'); print(m.group(2), re.sub('a+', '-', 'caaab'))",
    "binascii": "print(binascii.hexlify(b'\\x01\\xff'), binascii.a2b_base64(b'aGk='))",
    "hashlib": "print(hashlib.sha256(b'abc').digest().hex()[:16])",
    "random": "random.seed(1); a = random.getrandbits(30); random.seed(1); print(a == random.getrandbits(30), 0 <= random.random() < 1)",
    "heapq": "h = [5, 1, 4]; heapq.heapify(h); heapq.heappush(h, 0); print([heapq.heappop(h) for _ in range(4)])",
    "time": "t0 = time.ticks_ms(); time.sleep_ms(20); print(time.ticks_diff(time.ticks_ms(), t0) >= 19, time.time() > 1.7e9, len(time.gmtime(0)))",
    "errno": "print(errno.ENOENT, errno.errorcode[errno.EEXIST])",
    "os": "print(len(os.urandom(8)), hasattr(os, 'system'), hasattr(os, 'getenv'))",
    "deflate": "b = io.BytesIO(); f = deflate.DeflateIO(b, deflate.ZLIB); f.write(b'hello' * 20); f.close(); print(len(b.getvalue()) < 100, deflate.DeflateIO(io.BytesIO(b.getvalue()), deflate.ZLIB).read()[:10])",
}

MODULE_OUTPUT = {
    "builtins": "2 10",
    "sys": "wasi micropython True",
    "gc": "True True",
    "micropython": "4",
    "math": "4.0 -3 3.142",
    "cmath": "True 3.141592653589793",
    "array": "10 16",
    "collections": "['b', 'a'] 1",
    "struct": "b'\\x01\\x00\\x02\\x00\\x00\\x00' (-2,)",
    "io": "abc b'xy'",
    "json": '{"a": [1, 2.5, null, true]} [1, \'x\']',
    "re": "host c-b",
    "binascii": "b'01ff' b'hi'",
    "hashlib": "ba7816bf8f01cfea",
    "random": "True True",
    "heapq": "[0, 1, 4, 5]",
    "time": "True True 8",
    "errno": "2 EEXIST",
    "os": "8 False False",
    "deflate": "True b'hellohello'",
}


@pytest.mark.parametrize("name", sorted(MODULE_CHECKS))
def test_standard_module(name: str) -> None:
    imports = "import io\n" if name == "deflate" else ""
    assert py(f"{imports}import {name}\n{MODULE_CHECKS[name]}").strip() == MODULE_OUTPUT[name]


@pytest.mark.parametrize("name", ["socket", "_thread", "ffi", "machine", "uctypes"])
def test_modules_left_out_of_the_sandbox(name: str) -> None:
    result = micropython_wasi.run(f"import {name}")
    assert result.exception is not None and result.exception.type == "ImportError"


def test_randomness_comes_from_the_host() -> None:
    # Each interpreter seeds from WASI random_get, so fresh runs differ.
    draws = {py("import random; print(random.getrandbits(32))") for _ in range(4)}
    assert len(draws) > 1


def test_frozen_modules_import() -> None:
    info = micropython_wasi.image_info()
    assert "base64" in info.frozen_modules
    out = py("""
        import base64, functools, bisect
        print(base64.b64encode(b'sandbox'), functools.reduce(lambda a, b: a * b, [1, 2, 3, 4]))
        print(bisect.bisect([1, 3, 5], 4))
    """)
    assert out.splitlines() == ["b'c2FuZGJveA==' 24", "2"]


def test_image_manifest_describes_the_image(image_path: Path) -> None:
    manifest = json.loads(image_path.with_suffix(".json").read_text())
    assert manifest["micropython_version"] == "1.28.0"
    assert manifest["variant"] == "standard"
    assert manifest["gc_roots"] == "all"
    assert manifest["image_size"] == image_path.stat().st_size
    for module in ("json", "re", "hashlib", "deflate", "os", "random"):
        assert module in manifest["modules"]
    assert "zig" in manifest["toolchain"]["compiler"] or "wasi-sdk" in manifest["toolchain"]["compiler"]


@pytest.mark.parametrize(("source", "error"), [
    ("def f(n):\n    return f(n + 1)\nf(0)", "RecursionError"),
    ("class A:\n    def __repr__(self):\n        return repr(self)\nrepr(A())", "RecursionError"),
    ("l = []\nfor i in range(100000):\n    l = [l]\nprint(repr(l)[:5])", "RecursionError"),
    ("d = {}\nfor i in range(100000):\n    d = {'k': d}\nimport json\njson.dumps(d)", "RecursionError"),
    # The frozen re parses the pattern in Python (RecursionError, as CPython);
    # the built-in engine refuses it (ValueError).
    ("import re\nre.match('(' * 2000 + 'a' + ')' * 2000, 'a')", "RecursionError"),
    ("import ure\nure.match('(' * 2000 + 'a' + ')' * 2000, 'a')", "ValueError"),
    ("import json\nprint(len(json.loads('[' * 100000 + ']' * 100000)))", None),
])
def test_deep_recursion_raises_recursion_error(source: str, error: str | None) -> None:
    """Python and C recursion end in a Python exception, never a trap."""
    with micropython_wasi.Sandbox() as sandbox:
        result = sandbox.run(source)
        if error is None:
            assert result.ok, result.stderr
        else:
            assert result.exception is not None, result.stdout
            assert error in (result.exception.type, result.exception.type.replace("RuntimeError", "RecursionError"))
            if error == "RecursionError":
                assert "recursion" in result.exception.message
        # The interpreter is still healthy afterwards.
        assert sandbox.run("print(sum(range(10)))").stdout == "45\n"


def gc_stress_source() -> str:
    return (HERE / "image" / "gc_stress.py").read_text()


def test_gc_stress_under_a_small_heap(image_path: Path) -> None:
    """Collect before every allocation in a 32 KiB heap, across deep call chains,
    and verify every object.

    This test guards the GC-root fix (binaryen --flatten and --spill-pointers,
    applied by the port's build; tests/test_gc_roots.py has more). To see it
    fail, build an image without the fix and run this test against it:

        cmake -S . -B build/nospill -DMICROPY_WASI_GC_ROOTS=none
        cmake --build build/nospill
        MICROPY_WASI_IMAGE=build/nospill/micropython.wasm pytest tests/test_image.py -k gc_stress

    The image then frees objects still in use: the run traps with an
    out-of-bounds memory access or reports corrupted values.
    (test_gc_stress_fails_without_the_root_fix does exactly this; it is slow.)
    """
    interp = RawInterpreter(image_path, heap_size=32 * 1024, heap_max=32 * 1024)
    status, out, err = interp.exec(gc_stress_source())
    assert (status, err) == (0, "")
    assert out == "gc-ok 96\n"


def test_heap_size_is_chosen_by_the_host(image_path: Path) -> None:
    small = RawInterpreter(image_path, heap_size=64 * 1024, heap_max=64 * 1024)
    status, _, err = small.exec("x = bytearray(200 * 1024)")
    assert status == 1 | 0x400 and "MemoryError" in err  # (0x400: the port reports the memory limit)
    large = RawInterpreter(image_path, heap_size=64 * 1024, heap_max=4 * 1024 * 1024)
    status, out, _ = large.exec("x = bytearray(200 * 1024); print(len(x))")
    assert (status, out) == (0, "204800\n")


@pytest.mark.slow
def test_gc_stress_fails_without_the_root_fix(tmp_path: Path) -> None:
    """Build an image with MICROPY_WASI_GC_ROOTS=none: the stress test must fail there."""
    import subprocess
    import sys

    repo = HERE.parent
    build = tmp_path / "nospill"
    subprocess.run(["cmake", "-S", str(repo), "-B", str(build), f"-DPython3_EXECUTABLE={sys.executable}",
                    "-DMICROPY_WASI_GC_ROOTS=none"], check=True, capture_output=True)
    subprocess.run(["cmake", "--build", str(build)], check=True, capture_output=True)
    interp = RawInterpreter(build / "micropython.wasm", heap_size=32 * 1024, heap_max=32 * 1024)
    try:
        status, out, _ = interp.exec(gc_stress_source())
    except wasmtime.Trap:
        return
    assert (status, out) != (0, "gc-ok 96\n"), "the image without the GC-root fix passed the stress test"
