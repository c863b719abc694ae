"""Property-based fuzzing: random and mutated programs, random bytes, random host-function values.

The only allowed outcomes are a Result or a SandboxError. A GuestCrash is a
SandboxError, but it means the interpreter trapped -- a bug in the image --
so it fails these tests too. The default run is short; `pytest -m slow`
runs the long one.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micropython_wasi import GuestCrash, Result, Sandbox, SandboxError

QUICK_EXAMPLES = 150
"""Examples per property in the default run."""

LONG_EXAMPLES = 3000
"""Examples per property with -m slow."""

LIMITS: dict[str, Any] = {"timeout": 0.5, "memory_limit": 16 * 1024 * 1024, "max_output": 16 * 1024}


def fuzz_settings(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, derandomize=examples == QUICK_EXAMPLES,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def outcome(source: str, stdin: bytes | None = None, **options: Any) -> Result | SandboxError:
    """Run `source` in a fresh Sandbox; anything but a Result or a non-crash SandboxError fails."""
    try:
        with Sandbox(**{**LIMITS, **options}) as box:
            return box.run(source, stdin=stdin)
    except GuestCrash as exc:
        pytest.fail(f"the interpreter crashed on {source!r}: {exc}")
    except SandboxError as exc:
        return exc


CORPUS = [
    "print(sum(i * i for i in range(100)))",
    "def f(n):\n    return 1 if n < 2 else n * f(n - 1)\nprint(f(20))",
    "class A:\n    def __init__(self, x):\n        self.x = x\n    def __repr__(self):\n        return 'A(%r)' % self.x\nprint([A(i) for i in range(3)])",
    "import json\nprint(json.dumps({'a': [1, 2.5, None, True], 'b': 'x'}))",
    "import re\nm = re.match(r'(\\w+)@(\\w+)\\.com', 'joe@example.com')\nprint(m.group(1), m.group(2))",
    "d = {str(i): i for i in range(50)}\nprint(sorted(d.items())[:3])",
    "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    print('caught', e)\nfinally:\n    print('done')",
    "s = 'hello world'\nprint(s.upper(), s.split(), s[::-1], s.find('o'), '%s-%d' % ('a', 5), '{:>8}'.format(s))",
    "import struct\nprint(struct.pack('<iHd', 1, 2, 3.5), struct.unpack('>I', b'\\x00\\x00\\x01\\x00'))",
    "def gen(n):\n    for i in range(n):\n        yield i * 2\nprint(list(gen(5)), tuple(map(str, gen(3))))",
    "x = [1, 2, 3]\nx[1:2] = [7, 8, 9]\ndel x[0]\nprint(x, x * 2, x + [0], len(x))",
    "import collections\nC = collections.namedtuple('C', 'a b')\nprint(C(1, 2), collections.OrderedDict(a=1))",
    "print(2 ** 100, -7 // 2, 7 % -3, divmod(10**20, 7), int('ff', 16), hex(255), 1e308 * 10)",
    "import math\nprint(math.sqrt(2), math.floor(-1.5), math.isnan(float('nan')))",
    "lambda_ = lambda *a, **k: (a, k)\nprint(lambda_(1, 2, x=3))",
    "a, *b, c = range(6)\nprint(a, b, c)\nprint({*b, 9}, {**{'k': 1}, 'm': 2})",
    "import array\na = array.array('i', [1, 2, 3])\na.append(4)\nprint(a, bytes(a)[:4])",
    "async def co():\n    return 1\nprint(type(co()))",
    "with open('/nope') as f:\n    pass",
    "import io\nb = io.BytesIO(b'abc')\nprint(b.read(2), io.StringIO('x\\ny').readlines())",
    "global g\ng = 5\ndef h():\n    nonlocal_test = [g]\n    return nonlocal_test\nprint(h())",
    "print(bytearray(b'abc').hex(), b'%s' % b'x', 'é'.encode(), b'\\xc3\\xa9'.decode())",
    "import hashlib, binascii\nprint(binascii.hexlify(hashlib.sha256(b'x').digest()))",
    "import heapq\nh = [5, 1, 3]\nheapq.heapify(h)\nprint(heapq.heappop(h), sorted([3, 1, 2], key=lambda v: -v))",
]

TOKENS = ["(", ")", "[", "]", "{", "}", ":", ",", ".", "*", "**", "=", "==", "+", "-", "/", "//", "%", "<<",
          "\n", "    ", "\t", "'", '"', "'''", "\\", "#", "@", "lambda", "yield", "await", "del", "global",
          "import ", "from ", "class ", "def ", "return", "if ", "else", "while ", "for ", " in ", "not ",
          "None", "True", "9" * 40, "0x", "1e999", "-0.0", "\x00", "\udcff", "é", "\U0001F600", "\r", "\x0c"]


@st.composite
def mutated_programs(draw: st.DrawFn) -> str:
    source = draw(st.sampled_from(CORPUS))
    for _ in range(draw(st.integers(1, 6))):
        if not source:
            break
        pos = draw(st.integers(0, len(source)))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "token", "swap", "repeat"]))
        if action == "delete":
            end = draw(st.integers(pos, min(len(source), pos + 20)))
            source = source[:pos] + source[end:]
        elif action == "duplicate":
            end = draw(st.integers(pos, min(len(source), pos + 40)))
            source = source[:end] + source[pos:end] + source[end:]
        elif action == "insert":
            source = source[:pos] + draw(st.text(max_size=5)) + source[pos:]
        elif action == "token":
            source = source[:pos] + draw(st.sampled_from(TOKENS)) + source[pos:]
        elif action == "swap" and len(source) > 1:
            other = draw(st.integers(0, len(source) - 1))
            chars = list(source)
            chars[pos % len(chars)], chars[other] = chars[other], chars[pos % len(chars)]
            source = "".join(chars)
        elif action == "repeat":
            end = draw(st.integers(pos, min(len(source), pos + 8)))
            source = source[:pos] + source[pos:end] * draw(st.integers(2, 200)) + source[end:]
    return source


def check_program(source: str) -> None:
    result = outcome(source)
    assert isinstance(result, (Result, SandboxError))


def check_bytes_program(data: bytes) -> None:
    # Bytes that are not UTF-8 reach the lexer as they are (lone surrogates pass through).
    check_program(data.decode("utf-8", "surrogateescape"))


def check_stdin(data: bytes) -> None:
    result = outcome("import sys\nb = sys.stdin.buffer.read()\nprint(len(b))\ntry:\n    input()\nexcept EOFError:\n"
                     "    print('eof')", stdin=data)
    assert isinstance(result, Result) and result.ok, result
    assert result.stdout == f"{len(data)}\neof\n"


# -- host function values ---------------------------------------------------------

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(-(2**200), 2**200)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=50) | st.binary(max_size=50),
    lambda children: (st.lists(children, max_size=5) | st.tuples(children, children)
                      | st.dictionaries(st.text(max_size=5) | st.integers(), children, max_size=5)),
    max_leaves=30,
)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, (list, tuple)) and type(a) is type(b):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def check_round_trip(value: Any) -> None:
    received: list[Any] = []

    def give() -> Any:
        return value

    def take(v: Any) -> None:
        received.append(v)

    result = outcome("take(give())", host_functions={"give": give, "take": take})
    assert isinstance(result, Result) and result.ok, result
    assert len(received) == 1 and same(received[0], value), (received, value)


def check_reply(reply: bytes) -> None:
    """A reply the guest cannot trust (a buggy or hostile host side) never crashes the interpreter."""
    box = Sandbox(**LIMITS, host_functions={"f": lambda: None})
    box._call_host_function = lambda name, fn, payload: reply  # type: ignore[method-assign]
    try:
        result = box.run("try:\n    print(repr(f())[:50])\nexcept Exception as e:\n    print(type(e).__name__)")
    except GuestCrash as exc:
        pytest.fail(f"the interpreter crashed on reply {reply!r}: {exc}")
    except SandboxError:
        return
    finally:
        box.close()
    assert result.ok, result


def check_call_payload(payload: bytes) -> None:
    from micropython_wasi import _codec

    try:
        args, kwargs = _codec.decode_call(payload)
    except _codec.CodecError:
        return
    assert isinstance(args, tuple) and isinstance(kwargs, dict)


PROPERTIES: dict[str, tuple[st.SearchStrategy[Any], Any]] = {
    "mutated_programs": (mutated_programs(), check_program),
    "random_text_as_source": (st.text(max_size=300), check_program),
    "random_bytes_as_source": (st.binary(max_size=300), check_bytes_program),
    "random_bytes_as_stdin": (st.binary(max_size=2000), check_stdin),
    "host_values_round_trip": (values, check_round_trip),
    "random_replies_from_the_host": (st.binary(max_size=200), check_reply),
    "random_call_payloads": (st.binary(max_size=300), check_call_payload),
}


def fuzz(name: str, examples: int) -> None:
    strategy, check = PROPERTIES[name]
    fuzz_settings(examples)(given(strategy)(check))()


@pytest.mark.parametrize("name", PROPERTIES)
def test_fuzz(name: str) -> None:
    fuzz(name, QUICK_EXAMPLES)


@pytest.mark.slow
@pytest.mark.parametrize("name", PROPERTIES)
def test_fuzz_long(name: str) -> None:
    fuzz(name, LONG_EXAMPLES)
