"""Resource attacks: CPU, memory, stack and output are bounded, and the host stays responsive."""

from __future__ import annotations

import pytest

from micropython_wasi import (
    FuelExhausted,
    MemoryLimitExceeded,
    OutputLimitExceeded,
    Sandbox,
    SandboxClosedError,
    TimeoutExceeded,
)

from .helpers import QUICK, SLACK, guest_raised, within

MEMORY_LIMIT = 32 * 1024 * 1024

# ---------------------------------------------------------------------------
# CPU


def test_infinite_loop_stops_at_the_timeout_and_the_interpreter_survives() -> None:
    with Sandbox(timeout=1) as box:
        with within(1 + SLACK), pytest.raises(TimeoutExceeded) as info:
            box.run("print('started')\nwhile True:\n    pass")
        assert info.value.result is not None and info.value.result.stdout == "started\n"
        assert box.alive  # the soft limit: KeyboardInterrupt in the guest, state kept
        assert box.run("print('next')").stdout == "next\n"


def test_infinite_loop_stops_when_its_fuel_runs_out() -> None:
    with Sandbox(fuel=20_000_000, timeout=None) as box:
        with within(QUICK), pytest.raises(FuelExhausted):
            box.run("while True:\n    pass")
        assert not box.alive
        with pytest.raises(SandboxClosedError):
            box.run("print(1)")
        box.reset()
        assert box.run("print('fresh')").stdout == "fresh\n"


def test_guest_that_swallows_the_interrupt_is_killed() -> None:
    source = "while True:\n    try:\n        while True:\n            pass\n    except KeyboardInterrupt:\n        pass"
    with Sandbox(timeout=1) as box:
        with within(1 + 2 + SLACK), pytest.raises(TimeoutExceeded, match="killed"):
            box.run(source)
        assert not box.alive


def test_interrupt_swallowed_in_finally_and_except_clauses_is_still_killed() -> None:
    source = """
def f():
    try:
        while True: pass
    finally:
        while True:
            try:
                while True: pass
            except BaseException:
                pass
f()
"""
    with Sandbox(timeout=1) as box, within(1 + 2 + SLACK), pytest.raises(TimeoutExceeded):
        box.run(source)


@pytest.mark.parametrize("source", [
    "x = 10 ** 10 ** 8",
    "x = int('9' * 2_000_000)",
    "x = str(10 ** 300_000)",
    "x = '%*d' % (2**31 - 1, 1)",
    "x = '{:>2000000000}'.format('')",
])
def test_long_computation_in_c_is_stopped(source: str) -> None:
    """No bytecode runs while C code computes, so the engine's hard limit stops it."""
    with Sandbox(timeout=1) as box:
        with within(1 + 2 + SLACK), pytest.raises(TimeoutExceeded, match="killed"):
            box.run(source)
        assert not box.alive


@pytest.mark.parametrize("source", [
    "print(sum(range(10**9)))",
    "print(max(x for x in range(10**9)))",
    "print(all(map(abs, range(1, 10**9))))",
    "import array; a = array.array('i'); a.extend(range(2**30))",
    "import re; re.match('(a+)+$', 'a' * 40 + 'b')",
    "import re; re.match('(x+x+)+y', 'x' * 50)",
])
def test_long_loops_in_c_see_the_soft_timeout(source: str) -> None:
    with Sandbox(timeout=1) as box:
        with within(1 + SLACK), pytest.raises(TimeoutExceeded, match="interrupted"):
            box.run(source)
        assert box.alive


# ---------------------------------------------------------------------------
# Memory


@pytest.mark.parametrize("source", [
    "x = 'a' * 2**30",
    "x = bytearray(2**30)",
    "x = []\nwhile True:\n    x.append('y' * 1000)",
    "d = {}\ni = 0\nwhile True:\n    d[i] = i\n    i += 1",
    "s = 'x'\nwhile True:\n    s = s + s",
    "x = [[0] * 1000 for _ in range(10**6)]",
    "x = list(range(10**9))",
    "x = {i: i for i in range(10**8)}",
    "x = b'x' * (2**31 - 1)",
    # Sizes that wrap around 32 bits (used to overrun a small allocation).
    "x = [0] * 2**30",
    "x = [0, 0] * 2**29",
    "x = (0,) * 2**30",
    "x = 'abcd' * 2**30",
    "x = b'abcd' * 2**30",
    "x = [1, 2]\nx *= 2**31 - 1",
    "x = 2**30 * [0]",
    # ... and with a count that is an object with __int__, read by the sequence's own code.
    "class N:\n    def __int__(self):\n        return 2**30\nx = 'abcd' * N()",
    "class N:\n    def __int__(self):\n        return 2**30\nx = [1, 2, 3, 4] * N()",
    "class N:\n    def __int__(self):\n        return 2**30\nx = (1, 2, 3, 4) * N()",
    "x = b''.join([b'b' * 65536] * 65537)",
    "x = ','.join(['a' * 65536] * 65537)",
    "import array; x = array.array('i', range(2**30))",
    "import array; x = array.array('d', range(2**29))",
])
def test_memory_bombs_hit_the_memory_limit(source: str) -> None:
    # In a function, so that what the bomb built is garbage once it fails.
    bomb = "def bomb():\n" + "".join(f"    {line}\n" for line in source.splitlines()) + "bomb()"
    with Sandbox(memory_limit=MEMORY_LIMIT, timeout=10) as box:
        with within(10 + SLACK), pytest.raises(MemoryLimitExceeded):
            box.run(bomb)
        # (White-box: the instance's linear memory, which the engine caps at memory_limit.)
        assert box._guest is not None and box._guest.memory_size() <= MEMORY_LIMIT
        # MemoryError is an ordinary exception: the interpreter frees the garbage and goes on.
        assert box.alive
        result = box.run("y = bytearray(8 * 1024 * 1024)\nprint(len(y))")
        assert result.stdout == "8388608\n"


@pytest.mark.parametrize("source", ["x = 'a' * 2**31", "x = 1 << 2**40", "x = bytearray(2**32)", "x = [0] * 2**40"])
def test_absurd_sizes_are_overflow_errors(source: str) -> None:
    with Sandbox(memory_limit=MEMORY_LIMIT) as box, within(QUICK):
        guest_raised(box.run(source), "OverflowError")


@pytest.mark.parametrize("source", [
    # A __len__ that lies, and a list that grows while array() reads it.
    "import array\nclass L:\n    def __len__(self): return 1\n    def __iter__(self): return iter(range(100000))\n"
    "array.array('i', L())",
    "import array\nl = []\nclass F:\n    def __float__(self):\n        if len(l) < 100000: l.append(F())\n"
    "        return 1.0\nl.append(F())\narray.array('d', l)",
])
def test_array_trusts_no_length(source: str) -> None:
    with Sandbox(memory_limit=MEMORY_LIMIT) as box, within(QUICK):
        guest_raised(box.run(source), "RuntimeError", "more items than its len()")


@pytest.mark.parametrize("source", ["import struct\nstruct.calcsize('2000000000i')",
                                    "import struct\nstruct.pack('99999999999999999999i')"])
def test_struct_counts_beyond_a_small_int_are_refused(source: str) -> None:
    with Sandbox() as box, within(QUICK):
        guest_raised(box.run(source), "ValueError", "count too large")


def test_memory_limit_bounds_the_whole_guest_memory() -> None:
    """Even a program that keeps what it allocates cannot grow the instance past memory_limit."""
    source = "keep = []\nwhile True:\n    keep.append(bytearray(1024 * 1024))"
    for limit in (4 * 1024 * 1024, 16 * 1024 * 1024, 48 * 1024 * 1024):
        with Sandbox(memory_limit=limit) as box:
            with within(QUICK), pytest.raises(MemoryLimitExceeded):
                box.run(source)
            assert box._guest is not None and box._guest.memory_size() <= limit


# ---------------------------------------------------------------------------
# Stack: Python recursion, and recursion in C that MicroPython itself does not bound


RECURSION = {
    "python": "def f():\n    f()\nf()",
    "python-method": "class A:\n    def __repr__(self):\n        return repr(self)\nrepr(A())",
    "nested-list-equality": "a = []\nb = []\nfor i in range(100000):\n    a = [a]\n    b = [b]\na == b",
    "nested-dict-equality": "a = b = None\nfor i in range(100000):\n    a = {1: a}\n    b = {1: b}\na == b",
    "nested-tuple-order": "a = ()\nb = (1,)\nfor i in range(100000):\n    a = (a,)\n    b = (b,)\na < b",
    "nested-tuple-hash": "a = ()\nfor i in range(100000):\n    a = (a,)\nhash(a)",
    "nested-frozenset-hash": "a = frozenset()\nfor i in range(30000):\n    a = frozenset([a])\nhash(a)",
    "nested-repr": "a = []\nfor i in range(100000):\n    a = [a]\nrepr(a)",
    "nested-format": "a = []\nfor i in range(100000):\n    a = [a]\n'{}'.format(a)",
    "json-dumps": "import json\na = []\nfor i in range(100000):\n    a = [a]\njson.dumps(a)",
    "json-dumps-dict": "import json\nd = {}\nfor i in range(100000):\n    d = {'k': d}\njson.dumps(d)",
    "compile-nested-lists": "eval('[' * 3000 + ']' * 3000)",
    "compile-nested-calls": "eval('abs(' * 3000 + '1' + ')' * 3000)",
    "regex-backtracking-depth": "import re\nre.match('(a|b)*c', 'ab' * 20000)",
    "regex-empty-loop": "import re\nre.match('(a*)*b', 'a' * 30)",
    "regex-nested-groups": "import re\nre.compile('(' * 20000 + 'a' + ')' * 20000)",
    "iterator-chain": "it = iter([1])\nfor i in range(100000):\n    it = map(abs, it)\nnext(it)",
    "zip-chain": "it = iter([1])\nfor i in range(100000):\n    it = zip(it)\nnext(it)",
    "yield-from-chain": "def g(n):\n    if n:\n        yield from g(n - 1)\n    yield 1\nnext(g(100000))",
    "eq-method": "class A:\n    def __eq__(self, other):\n        return self.n == other\nx = 1\n"
                 "for i in range(100000):\n    y = A()\n    y.n = x\n    x = y\nx == 1",
}


@pytest.mark.parametrize("source", RECURSION.values(), ids=RECURSION.keys())
@pytest.mark.parametrize("depth", [0, 240, pytest.param(100, marks=pytest.mark.slow),
                                   pytest.param(200, marks=pytest.mark.slow)],
                         ids=["top", "depth-240", "depth-100", "depth-200"])
def test_deep_recursion_is_a_recursion_error_at_any_depth(source: str, depth: int) -> None:
    """Each attack runs at the top level and inside a deep Python recursion, where little stack is left."""
    wrapped = (f"def _nest(k):\n    if k:\n        return _nest(k - 1)\n    exec({source!r}, {{}})\n"
               f"_nest({depth})")
    with Sandbox(timeout=30) as box:
        with within(30):
            result = box.run(wrapped)
        guest_raised(result, "RecursionError", "maximum recursion depth exceeded")
        assert box.alive


MARGIN_PROBE = """
import sys
from micropython_wasi import _engine, Sandbox
_engine.MAX_WASM_STACK = {stack}
cases = {cases!r}
outcomes = []
for source in cases:
    for depth in (0, 120, 240):
        wrapped = ("def _nest(k):\\n    if k:\\n        return _nest(k - 1)\\n    exec(%r, {{}})\\n_nest(%d)"
                   % (source, depth))
        with Sandbox(timeout=60) as box:
            result = box.run(wrapped)
        outcomes.append(result.exception.type if result.exception else "ok")
print(" ".join(outcomes))
"""


@pytest.mark.slow
def test_recursion_guards_keep_a_quarter_of_the_wasm_stack_spare() -> None:
    """With only three quarters of the wasm stack the host grants, every deep recursion is still a
    RecursionError: the guards' estimates (ports/wasi/guard.c) hold with margin on this platform."""
    import subprocess
    import sys

    probe = MARGIN_PROBE.format(stack=768 * 1024, cases=list(RECURSION.values()))
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert set(proc.stdout.split()) == {"RecursionError"}, proc.stdout


@pytest.mark.parametrize("source", [
    "import json\nprint(len(json.loads('[' * 100000 + ']' * 100000)))",
    "import json\nprint(len(json.loads('{\"a\":' * 50000 + '1' + '}' * 50000)))",
    "x = eval('-' * 30000 + '1')\nprint(x)",
    "x = eval('not ' * 3000 + '1')\nprint(x)",
    "exec('x = ' + '(' * 5000 + '1' + ')' * 5000)\nprint(x)",
    "import re\nprint(re.match('(' * 2000 + 'a' + ')' * 2000, 'a'))",
])
def test_deep_but_bounded_nesting_is_handled(source: str) -> None:
    with Sandbox(timeout=30) as box, within(30):
        result = box.run(source)
    assert result.ok or result.exception.type in ("ValueError", "RecursionError"), result


# ---------------------------------------------------------------------------
# Output


@pytest.mark.parametrize("source", [
    "print('x' * 10**7)",
    "while True:\n    print('line')",
    "import sys\nwhile True:\n    sys.stdout.write('w')",
    "import sys\nwhile True:\n    sys.stderr.write('e' * 100)",
    "while True:\n    print('o')\n    import sys; sys.stderr.write('e')",
    "def f():\n    f()\nwhile True:\n    try:\n        f()\n    except RuntimeError as e:\n        import sys; sys.print_exception(e)",
    "raise ValueError('x' * 10**7)",
])
def test_output_floods_stop_at_max_output(source: str) -> None:
    limit = 64 * 1024
    with Sandbox(max_output=limit, timeout=10) as box:
        with within(QUICK), pytest.raises(OutputLimitExceeded) as info:
            box.run(source)
        partial = info.value.result
        assert partial is not None
        assert len(partial.stdout.encode()) + len(partial.stderr.encode()) <= limit


def test_output_limit_counts_bytes_not_characters() -> None:
    with Sandbox(max_output=1000) as box, pytest.raises(OutputLimitExceeded):
        box.run("print('\\U0001F600' * 300)")  # 1200 bytes of UTF-8


def test_large_stdin_costs_the_host_linear_time() -> None:
    data = "y" * (40 * 1024 * 1024)
    source = "import sys\nn = 0\nwhile True:\n    s = sys.stdin.read(4096)\n    if not s:\n        break\n    n += len(s)\nprint(n)"
    with Sandbox(memory_limit=MEMORY_LIMIT, timeout=20) as box, within(10):
        assert box.run(source, stdin=data).stdout == f"{len(data)}\n"


def test_reading_all_of_a_large_stdin_is_bounded() -> None:
    data = "y" * (40 * 1024 * 1024)
    with Sandbox(memory_limit=MEMORY_LIMIT, timeout=2) as box, within(2 + 2 + SLACK):
        with pytest.raises((MemoryLimitExceeded, TimeoutExceeded)):
            box.run("import sys\ns = sys.stdin.read()", stdin=data)


def test_huge_source_is_bounded_by_the_timeout() -> None:
    """Parsing and compiling a million lines takes long; the soft timeout reaches both."""
    source = "x = 1\n" * 1_000_000 + "print(x)"
    with Sandbox(timeout=2) as box:
        with within(2 + SLACK), pytest.raises(TimeoutExceeded, match="interrupted"):
            box.run(source)
        assert box.alive


# ---------------------------------------------------------------------------
# Ending a run


@pytest.mark.parametrize(("source", "status"), [
    ("raise SystemExit(2**100 + 3)", 3),
    ("raise SystemExit(-2**70)", 0),
    ("import sys\nsys.exit(-1)", 255),
    ("raise SystemExit(True)", 1),
    ("raise SystemExit('bye')", 1),
    ("class X:\n    def __int__(self):\n        raise ValueError\nraise SystemExit(X())", 1),
    ("class X:\n    def __int__(self):\n        while True:\n            pass\nraise SystemExit(X())", 1),
])
def test_any_exit_value_is_a_status(source: str, status: int) -> None:
    with Sandbox(timeout=2) as box, within(QUICK):
        result = box.run(source)
    assert result.exception is None and result.exit_code == status


@pytest.mark.parametrize("source", [
    "class E(Exception):\n    def __str__(self):\n        return str(self)\nraise E()",
    "class E(Exception):\n    def __str__(self):\n        raise ValueError('inner')\nraise E(1)",
    "class E(BaseException):\n    pass\nraise E('x' * 100000)",
    "class E(Exception):\n    def __repr__(self):\n        raise ValueError('inner')\nraise E()",
])
def test_hostile_exceptions_are_reported(source: str) -> None:
    with Sandbox(timeout=2) as box, within(QUICK):
        result = box.run(source)
    guest_raised(result, "E")


def test_binary_output_is_decoded_safely() -> None:
    with Sandbox() as box:
        result = box.run("import sys\nsys.stdout.buffer.write(bytes(range(256)))")
    assert result.ok and len(result.stdout) == 256 and "\ufffd" in result.stdout


@pytest.mark.parametrize("source", [
    "raise MemoryError('memory allocation failed, allocating 100 bytes')",
    "import gc\ngc.collect()\nraise MemoryError('object too large')",
    # gc.mem_free() asks the port how far the heap may grow, as a failed
    # allocation does: that must not count as reaching the limit.
    "import gc\ngc.mem_free()\nraise MemoryError('memory allocation failed')",
    "import micropython\nmicropython.mem_info()\nraise MemoryError('x')",
])
def test_guest_cannot_forge_a_memory_limit(source: str) -> None:
    """MemoryLimitExceeded comes from the port's report, not from the exception's name."""
    with Sandbox(memory_limit=16 * 1024 * 1024) as box:
        result = box.run(source)
    assert result.exception is not None and result.exception.type == "MemoryError"
