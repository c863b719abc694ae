"""CPython behaviour that the core patches (ports/wasi/patches) and the
standard variant's configuration give the interpreter: each program runs in
the sandbox and in this CPython, and must print the same."""

from __future__ import annotations

import contextlib
import io
import textwrap

import pytest

import micropython_wasi

PROGRAMS: dict[str, str] = {
    # 0001-slice-step.patch
    "str slice with a step": """
        s = "hello, world"
        print(s[::-1], s[::2], s[1::3], s[-2:2:-2], s[10:2:-3], repr(s[5:1:2]), repr(s[::-100]))
        print([s[i:j:k] for i in (None, 0, 3, -4) for j in (None, 2, -1, 20) for k in (-3, -1, 2, 5)])
    """,
    "unicode str slice with a step": """
        u = "añb€c😀d"
        print(u[::-1], u[::2], u[1::2], u[-1:0:-3], len(u[::-1]))
        print(u[::-1].encode())
    """,
    "bytes, tuple, bytearray slices with a step": """
        b = b"abcdefgh"
        t = tuple(range(10))
        print(b[::-1], b[1::2], b[-1:-9:-3], t[::-1], t[::3], t[8:1:-2], t[1:1:-1])
        print(bytearray(b"xyz123")[::-2], bytes(bytearray(8)[::4]))
        import array
        print(list(array.array("i", [1, -2, 3, -4, 5])[::-2]))
    """,
    # 0002-stable-sort.patch
    "sort is stable": """
        pairs = [(i % 7, i) for i in range(200)]
        print(sorted(pairs, key=lambda p: p[0]) == [p for k in range(7) for p in pairs if p[0] == k])
        words = "the quick brown fox jumps over the lazy dog and then some more words".split()
        print(sorted(words, key=len))
        print(sorted(words, key=len, reverse=True))
        words.sort(key=lambda w: w[-1])
        print(words)
        print(sorted([3, 1, 2] * 50)[::37], sorted(range(100), reverse=True)[:5])
        print(sorted("zyxwvu"), sorted([2.5, -1, 3, 0.5, True]))
    """,
    "sort calls the key once per item": """
        calls = []
        def key(x):
            calls.append(x)
            return -x
        data = list(range(50))
        print(sorted(data, key=key)[:3], len(calls))
    """,
    "sort of a list modified during the sort": """
        data = list(range(20))
        def key(x):
            data.append(x)
            return x
        try:
            data.sort(key=key)
        except ValueError as e:
            print("ValueError", e)
    """,
    # 0003-str-methods.patch
    "str methods": """
        for s in ("hello world", "HeLLo wOrLD", "they're bill's friends", "3rd place", "", "x"):
            print(repr(s.title()), repr(s.capitalize()), repr(s.swapcase()), repr(s.casefold()))
        print("42".zfill(5), "-42".zfill(5), "+7".zfill(3), "abc".zfill(2), "".zfill(3))
        print("ab".ljust(5, "*"), "ab".rjust(5), "ab".center(7, "-"), "abc".center(6, "."), "ab".center(1))
        print("é".ljust(3, "€") + "|", "日本".center(6, "*"))
        print("test_file.py".removesuffix(".py"), "test_file.py".removeprefix("test_"), "x".removeprefix(""))
        print(b"data.bin".removesuffix(b".bin"), b"ab".ljust(4, b"."), b"7".zfill(3), b"hi there".title())
        print("abc123".isalnum(), "abc 123".isalnum(), "".isalnum(), "abc".isascii(), "é".isascii(), "".isascii())
        print("123".isdecimal(), "12a".isnumeric())
        try:
            "ab".ljust(5, "**")
        except TypeError:
            print("TypeError")
    """,
    # 0004-int-bit-length.patch
    "int.bit_length and int.bit_count": """
        for n in (0, 1, -1, 2, 255, -256, 2**30 - 1, 2**30, 2**62, -(2**100) + 1, 10**40, 3**200):
            print(n.bit_length(), n.bit_count())
        class MyInt(int):
            pass
        print(MyInt(1000).bit_length(), int.bit_count(7))
    """,
    # 0005-pow-mod-inverse.patch
    "pow with a negative exponent and a modulus": """
        print(pow(3, -1, 7), pow(38, -1, 97), pow(3, -2, 7), pow(10**20 + 1, -1, 10**9 + 7), pow(3, -1, -7))
        print(pow(2, 10, 1000), pow(2**70, 3, 10**9))
        try:
            pow(2, -1, 4)
        except ValueError as e:
            print("ValueError", e)
    """,
    # 0006-zip-strict.patch
    "zip with strict": """
        print(list(zip("ab", [1, 2], strict=True)), list(zip(strict=False)), list(zip("abc", "de", strict=False)))
        for args in (("ab", "abc"), ("abc", "ab"), ("ab", "ab", "a"), ("ab", "ab", "abc"), ("", "x")):
            try:
                print(list(zip(*args, strict=True)))
            except ValueError as e:
                print("ValueError", e)
    """,
    # 0007-recursion-error.patch
    "RecursionError": """
        def down(n):
            return down(n + 1) + 1
        try:
            down(0)
        except RecursionError as e:
            print("RecursionError", isinstance(e, RuntimeError), issubclass(RecursionError, RuntimeError))
        try:
            down(0)
        except RuntimeError as e:
            print(type(e).__name__)
        deep = []
        for _ in range(100000):
            deep = [deep]
        try:
            repr(deep)
        except RecursionError:
            print("repr: RecursionError")
    """,
    # 0008-argument-errors.patch
    "errors naming the function and its arguments": """
        def f(a, b, c=3):
            pass
        def g(a, *, k, m, n=1):
            pass
        def h(a, b, c, d):
            pass
        calls = [lambda: f(1), lambda: f(), lambda: f(1, 2, d=4), lambda: f(1, a=2), lambda: f(1, 2, 3, 4),
                 lambda: g(1), lambda: g(1, k=2), lambda: g(1, m=2, n=3), lambda: h(1), lambda: h(1, d=2),
                 lambda: g(1, 2)]
        for call in calls:
            try:
                call()
            except TypeError as e:
                print(e)
    """,
    # 0018-math-integer-functions.patch
    "math integer functions": """
        import math
        big = 3 ** 300 + 1
        print(math.gcd(), math.gcd(12, -18), math.gcd(0, 0), math.gcd(big * 6, big * 4) == big * 2, math.gcd(7, True))
        print(math.lcm(), math.lcm(4, 6, 10), math.lcm(0, 5), math.lcm(-3, 4), math.lcm(2 ** 70, 3 ** 40) == 2 ** 70 * 3 ** 40)
        print([math.isqrt(n) for n in (0, 1, 2, 3, 4, 15, 16, 17, 99, 10 ** 12, 2 ** 62, 2 ** 62 - 1)])
        print(math.isqrt(big * big) == big, math.isqrt(big * big - 1) == big - 1, math.isqrt(10 ** 400 + 7) == 10 ** 200)
        print(math.comb(10, 3), math.comb(5, 6), math.comb(52, 5), math.comb(100, 50), math.comb(7, 0), math.comb(0, 0))
        print(math.perm(5), math.perm(5, 2), math.perm(3, 5), math.perm(30, 20))
        print(math.prod([]), math.prod(range(1, 11)), math.prod([2, 0.5, 3]), math.prod([[1]], start=2), math.prod((3,), start=1.5))
        for call in (lambda: math.gcd(1.5), lambda: math.isqrt(-1), lambda: math.comb(-1, 2), lambda: math.comb(5, -1),
                     lambda: math.perm(5, "a"), lambda: math.lcm(0, "x"), lambda: math.isqrt(2.0)):
            try:
                print(call())
            except (TypeError, ValueError) as e:
                print(type(e).__name__, e)
    """,
    "math fsum, hypot and dist": """
        import math
        print(math.fsum([0.1] * 10), sum([0.1] * 10), math.fsum([1e100, 1.0, -1e100, 1e-100, 1e50, -1.0, -1e50]))
        print(math.fsum([]), math.fsum(range(10)), math.fsum([float("inf"), 1.0]))
        print(math.fsum([2.0 ** 53, 1.0, 2.0 ** -53]), math.fsum([1.0, 1e-16, 1e-16]))
        for bad in ([float("inf"), float("-inf")], [1e308, 1e308]):
            try:
                print(math.fsum(bad))
            except (ValueError, OverflowError) as e:
                print(type(e).__name__, e)
        print(math.hypot(), math.hypot(3, 4), math.hypot(-5), math.hypot(1, 2, 2), math.hypot(3e300, 4e300), math.hypot(3e-320, 4e-320) == 5e-320)
        print(math.hypot(float("inf"), float("nan")), math.hypot(1, float("nan")))
        print(math.dist((0, 0), (3, 4)), math.dist([1, 2, 3], [4, 6, 3]), math.dist((), ()))
        try:
            math.dist((1, 2), (1, 2, 3))
        except ValueError as e:
            print("ValueError", e)
    """,
    # already in MicroPython (MICROPY_CPYTHON_COMPAT)
    "dict union": """
        a = {"x": 1, "y": 2}
        b = a | {"y": 3, "z": 4}
        a |= {"w": 0}
        print(sorted(b.items()), sorted(a.items()))
    """,
    # 0009-dict-insertion-order.patch
    "dict keeps insertion order": """
        d = {}
        for w in "the cat and the hat and the bat zebra apple".split():
            d[w] = d.get(w, 0) + 1
        print(d, list(d.keys()), list(d.values()), list(d.items()))
        del d["cat"]
        d["cat"] = 9
        d["the"] = 0
        print(d, d.popitem(), d)
        import json
        print(json.dumps({"b": 1, "a": [1, {"z": 2, "y": 3}]}), dict(z=1, a=2, m=3))
        print({1: 1, True: 2, 1.0: 3}, dict.fromkeys("hello"))
        class A:
            def __init__(self):
                self.z, self.a, self.m = 1, 2, 3
        def f(**kw):
            return kw
        print(A().__dict__, f(z=1, a=2, m=3, b=4))
        from collections import OrderedDict
        o = OrderedDict(z=1, a=2)
        print(list(o), o == OrderedDict([("z", 1), ("a", 2)]), o == OrderedDict([("a", 2), ("z", 1)]))
    """,
    "dict order through growth, deletion, copies and popitem": """
        e = {i * 1024: i for i in range(300)}  # keys that collide in a power-of-two table
        print(list(e)[:4], len(e), all(e[i * 1024] == i for i in range(300)), 1024 * 300 in e)
        for i in range(0, 300, 2):
            del e[i * 1024]
        for i in range(0, 300, 4):
            e[i * 1024] = -i
        print(list(e.items())[:6], list(e)[-3:], len(e))
        c = e.copy()
        print(c == e, list(c) == list(e), c.popitem(), len(c), len(e))
        n = 0
        while e:
            n += e.popitem()[1] < 0
        print(n, e, len(e))
        big = {str(i): i for i in range(20000)}
        for i in range(0, 20000, 3):
            del big[str(i)]
        print(len(big), list(big)[:3], list(big)[-2:], sum(big.values()))
        churn = {}
        for i in range(5000):
            churn[i] = i
            if i >= 10:
                del churn[i - 10]
        print(churn)
        mixed = {(1, 2): 1, frozenset(): 2, None: 3, -1: 4, 2**70: 5, 2.5: 6, "s": 7, b"b": 8}
        print(mixed, mixed[2**70], mixed[-1], mixed[(1, 2)])
    """,
    # 0010-exception-cause.patch
    "raise from sets __cause__": """
        class ConfigError(Exception):
            pass
        def load(text):
            try:
                return int(text)
            except ValueError as e:
                raise ConfigError("bad %r" % text) from e
        try:
            load("abc")
        except ConfigError as e:
            print(e, type(e.__cause__).__name__, e.__cause__ is not None)
        for cause in (None, ValueError, KeyError("k"), 5):
            try:
                raise RuntimeError("x") from cause
            except RuntimeError as e:
                print(type(e.__cause__).__name__, e.__cause__.args if e.__cause__ else None)
            except TypeError as e:
                print("TypeError", e)
        e = ValueError("v")
        e.__cause__ = KeyError("c")
        print(type(e.__cause__).__name__, ValueError().__cause__)
    """,
    # 0021-variable-annotations.patch
    "class and module annotations": """
        count: int = 3
        label: str
        class Config:
            host: str
            port: int = 8080
            tags: list = []
            if True:
                debug: bool = False
            def method(self):
                local: int = 1
                return local
        print(Config.__annotations__, Config.port, hasattr(Config, "host"), Config().method())
        print(__annotations__, count)
        class Empty:
            x = 1
        print("__annotations__" in Empty.__dict__)
        obj = Empty()
        obj.x: int = 5
        print(obj.x)
    """,
    "annotations as text after from __future__ import annotations": """
        from __future__ import annotations
        import typing
        class Node:
            parent: Node | None = None
            children: list[Node]
            table: dict[str, typing.Optional[int]]
            quoted: "Node"
            rest: tuple[int, ...]
            hook: typing.Callable[[int, str], None]
            mode: typing.Literal[1, 'a', None, True, -2]
        print(Node.__annotations__)
    """,
    "dataclass fields without defaults, in order": """
        from dataclasses import dataclass, field, fields, asdict
        from typing import ClassVar
        @dataclass(order=True)
        class Item:
            name: str
            price: float
            quantity: int = 1
            tags: list[str] = field(default_factory=list)
            registry: ClassVar[int] = 0
        a = Item("pen", 1.5, 4)
        print(a, asdict(a), [f.name for f in fields(a)], Item.registry)
        print(sorted([Item("b", 2.0), Item("a", 3.0)]))
    """,
    "typing NamedTuple class syntax and get_type_hints": """
        from typing import NamedTuple, Optional, get_type_hints
        class Point(NamedTuple):
            x: int
            y: int = 0
        print(Point(1, 2), Point(5), Point(3)._replace(y=4))
        class Base:
            a: int
        class Derived(Base):
            b: "Optional[str]"
        hints = get_type_hints(Derived, globals())
        print(sorted(hints), hints["a"], hints["b"] == Optional[str])
    """,
    # 0022-type-expressions.patch
    "generic aliases and unions": """
        Matrix = list[list[int]]
        print(Matrix, dict[str, int], tuple[int, ...], list[int]("ab"), Matrix.__origin__, Matrix.__args__)
        print(int | None, None | int, int | str | int, int | int, (int | None).__args__)
        print(list[int] == list[int], list[int] == list[str], int | None == None | int)
        print(isinstance(5, int | float), isinstance("x", int | float), issubclass(KeyError, str | LookupError))
        class Box:
            def __class_getitem__(cls, item):
                return (cls.__name__, item)
        class Plain:
            pass
        print(Box[int], list[Plain], Plain | None)
        try:
            Plain[int]
        except TypeError:
            print("TypeError")
        try:
            int | 3
        except TypeError:
            print("TypeError")
    """,
    "user generic classes": """
        from typing import Generic, TypeVar, Optional
        T = TypeVar("T")
        class Stack(Generic[T]):
            def __init__(self) -> None:
                self.items: list[T] = []
            def push(self, item: T) -> None:
                self.items.append(item)
            def pop(self) -> Optional[T]:
                return self.items.pop() if self.items else None
        s: Stack[int] = Stack[int]()
        s.push(1)
        print(s.pop(), s.pop(), isinstance(s, Stack))
    """,
    # 0023-fstring-debug.patch
    "self-documenting f-strings": """
        x = 10
        name = "widget"
        ratio = 2 / 3
        print(f"{x=}", f"{name=}", f"{name=!s}", f"{name = !r}", f"{ratio=:.3f}", f"{x = :>5}|")
        print(f"{x * 2 = }", f"{ x=}", f"{[1, 2]=}", f"{'a' + 'b'=}")
        print(f"{x == 10}", f"{x!=3}", f"{x >= 3}", f"{x<=3}", f"{{x=}}")
    """,
    # 0024-positional-only-params.patch
    "positional-only parameters": """
        def power(base, exp=2, /, *, mod=None):
            r = base ** exp
            return r % mod if mod else r
        print(power(3), power(2, 10), power(2, 10, mod=1000))
        for call in (lambda: power(base=2), lambda: power(2, exp=3), lambda: power()):
            try:
                call()
            except TypeError as e:
                print("TypeError")
        def f(a, b, /, c, *args, d=4, **kw):
            return a, b, c, args, d, kw
        print(f(1, 2, 3), f(1, 2, c=3), f(1, 2, 3, 4, a=5, b=6), f(*range(5), d=0))
        def g(x, /):
            def inner():
                return x
            return inner()
        print(g(7))
        class P:
            def m(self, v, /):
                return v
        print(P().m(3))
        try:
            f(1)
        except TypeError as e:
            print(e)
        for src in ("def h(/): pass", "def h(a, /, /): pass", "def h(*, a, /): pass"):
            try:
                exec(src)
            except SyntaxError:
                print("SyntaxError")
    """,
    # 0025-str-translate.patch
    "str.maketrans and str.translate": """
        import string
        t = str.maketrans("abc", "xyz", "d")
        print(sorted(t.items()), "abcdabcd".translate(t), "h\u00e9llo".translate({ord("\u00e9"): "e", ord("l"): None, 111: 0x263a}))
        print("Hello, World!".translate(str.maketrans("", "", string.punctuation)))
        print("abc".translate(str.maketrans({"a": "1", 98: None})), "abc".translate(["A", "B"] * 50), "x".translate({}))
        for args in (("ab", "c"), ({"ab": 1},), ("a",), ({1.5: 2},)):
            try:
                str.maketrans(*args)
            except (ValueError, TypeError) as e:
                print(type(e).__name__)
        for table in ({97: 1.5}, {97: -1}):
            try:
                "a".translate(table)
            except (ValueError, TypeError) as e:
                print(type(e).__name__)
    """,
    # the standard variant's configuration ("everything" level, asyncio)
    "re groups and spans, range comparison, getsizeof": """
        import re, sys
        m = re.match(r"(\\w+) (\\d+)", "abc 123 rest")
        print(m.groups(), m.span(), m.span(2), m.start(1), m.end())
        print(range(3) == range(0, 3), range(0) == range(5, 5), sys.getsizeof([]) > 0)
        from collections import namedtuple
        P = namedtuple("P", "x y")
        print(sorted(P(1, 2)._asdict().items()))
    """,
    "asyncio": """
        import asyncio
        async def square(n):
            await asyncio.sleep(0)
            return n * n
        async def main():
            return await asyncio.gather(*(square(i) for i in range(5)))
        print(asyncio.run(main()))
    """,
}


def in_cpython(source: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        # dont_inherit: not this file's "from __future__ import annotations"
        exec(compile(source, "<program>", "exec", dont_inherit=True), {"__name__": "__main__"})
    return out.getvalue()


@pytest.mark.parametrize("name", PROGRAMS)
def test_like_cpython(name: str) -> None:
    source = textwrap.dedent(PROGRAMS[name])
    result = micropython_wasi.run(source)
    assert result.ok, result.stderr
    assert result.stdout == in_cpython(source)


def test_slice_assignment_with_a_step_is_still_refused() -> None:
    # Left out of 0001-slice-step.patch: a clear error, not a wrong result.
    result = micropython_wasi.run("b = bytearray(b'abcd')\nb[::2] = b'xy'\n")
    assert result.exception is not None and result.exception.type == "NotImplementedError"


def test_uncaught_exception_shows_its_cause() -> None:
    # 0010-exception-cause.patch: CPython's chained traceback, cause first.
    result = micropython_wasi.run(textwrap.dedent("""
        def load():
            try:
                int("x")
            except ValueError as e:
                raise KeyError("k") from e
        load()
    """))
    assert result.exception is not None and result.exception.type == "KeyError"
    cause, _, effect = result.stderr.partition(
        "\nThe above exception was the direct cause of the following exception:\n\n")
    assert cause.startswith("Traceback (most recent call last):\n") and "ValueError: " in cause
    assert effect.startswith("Traceback (most recent call last):\n") and effect.rstrip().endswith("KeyError: k")


def test_dict_lookup_whose_eq_changes_the_dict() -> None:
    # 0009-dict-insertion-order.patch: a lookup whose __eq__ rebuilds the
    # table looks again in the new table instead of reading the freed one.
    result = micropython_wasi.run(textwrap.dedent("""
        class K:
            def __init__(self, n):
                self.n = n
            def __hash__(self):
                return 7
            def __eq__(self, other):
                if isinstance(other, K) and other.n == -1:
                    for i in range(200):
                        d[i] = i
                    for i in range(200):
                        del d[i]
                return isinstance(other, K) and other.n == self.n
        d = {K(i): i for i in range(5)}
        print(d.get(K(-1)), d[K(3)], len(d), [k.n for k in d])
    """))
    assert result.ok, result.stderr
    assert result.stdout == "None 3 5 [0, 1, 2, 3, 4]\n"
