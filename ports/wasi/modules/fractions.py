"""fractions: Fraction, exact rational numbers.

Fraction(n, d), Fraction('3/4'), Fraction('1.25'), Fraction(float) (exact, via
float.as_integer_ratio-free bit extraction), arithmetic with int, Fraction
and float, comparisons, hashing equal to int for whole numbers,
limit_denominator, numerator/denominator, as_integer_ratio, round, floor,
ceil. Left out: Decimal inputs, format() specs beyond str.
"""

import math


def _gcd(a, b):
    while b:
        a, b = b, a % b
    return abs(a)


def _float_ratio(f):
    if f != f or f in (float("inf"), float("-inf")):
        raise ValueError("cannot convert %r to integer ratio" % f)
    m, e = math.frexp(f)
    n = 0
    while m != int(m):
        m *= 2.0
        e -= 1
        n += 1
    num = int(m)
    if e >= 0:
        return num << e, 1
    return num, 1 << -e


class Fraction:
    def __init__(self, numerator=0, denominator=None):
        if denominator is None:
            if isinstance(numerator, int):
                self._n, self._d = int(numerator), 1
                return
            if isinstance(numerator, Fraction):
                self._n, self._d = numerator._n, numerator._d
                return
            if isinstance(numerator, float):
                n, d = _float_ratio(numerator)
            elif isinstance(numerator, str):
                n, d = _parse(numerator)
            else:
                raise TypeError("argument should be a string or a Rational instance")
        else:
            n, d = numerator, denominator
            if isinstance(n, Fraction) or isinstance(d, Fraction):
                n, d = Fraction(n), Fraction(d)
                n, d = n._n * d._d, n._d * d._n
            elif not (isinstance(n, int) and isinstance(d, int)):
                raise TypeError("both arguments should be Rational instances")
        if d == 0:
            raise ZeroDivisionError("Fraction(%s, 0)" % n)
        g = _gcd(n, d)
        if d < 0:
            g = -g
        self._n, self._d = n // g, d // g

    @classmethod
    def from_float(cls, f):
        return cls(f)

    @classmethod
    def from_decimal(cls, dec):
        return cls(str(dec))

    numerator = property(lambda self: self._n)
    denominator = property(lambda self: self._d)

    def as_integer_ratio(self):
        return self._n, self._d

    def is_integer(self):
        return self._d == 1

    def limit_denominator(self, max_denominator=1000000):
        if max_denominator < 1:
            raise ValueError("max_denominator should be at least 1")
        if self._d <= max_denominator:
            return Fraction(self._n, self._d)
        p0, q0, p1, q1 = 0, 1, 1, 0
        n, d = self._n, self._d
        while True:
            a = n // d
            q2 = q0 + a * q1
            if q2 > max_denominator:
                break
            p0, q0, p1, q1 = p1, q1, p0 + a * p1, q2
            n, d = d, n - a * d
        k = (max_denominator - q0) // q1
        bound1 = Fraction(p0 + k * p1, q0 + k * q1)
        bound2 = Fraction(p1, q1)
        if abs(bound2 - self) <= abs(bound1 - self):
            return bound2
        return bound1

    def __repr__(self):
        return "Fraction(%d, %d)" % (self._n, self._d)

    def __str__(self):
        return str(self._n) if self._d == 1 else "%d/%d" % (self._n, self._d)

    def __format__(self, spec):
        return format(str(self), spec) if not spec or spec[-1] not in "eEfFgG%" else format(float(self), spec)

    @staticmethod
    def _coerce(other):
        if isinstance(other, Fraction):
            return other
        if isinstance(other, int):
            return Fraction(other)
        return None

    def _op(self, other, fop, ffloat):
        o = self._coerce(other)
        if o is not None:
            return fop(self, o)
        if isinstance(other, (float, complex)):
            return ffloat(float(self), other)
        return NotImplemented

    def _rop(self, other, fop, ffloat):
        o = self._coerce(other)
        if o is not None:
            return fop(o, self)
        if isinstance(other, (float, complex)):
            return ffloat(other, float(self))
        return NotImplemented

    @staticmethod
    def _add(a, b):
        return Fraction(a._n * b._d + b._n * a._d, a._d * b._d)

    @staticmethod
    def _sub(a, b):
        return Fraction(a._n * b._d - b._n * a._d, a._d * b._d)

    @staticmethod
    def _mul(a, b):
        return Fraction(a._n * b._n, a._d * b._d)

    @staticmethod
    def _div(a, b):
        if b._n == 0:
            raise ZeroDivisionError("Fraction(%s, 0)" % (a._n * b._d))
        return Fraction(a._n * b._d, a._d * b._n)

    @staticmethod
    def _floordiv(a, b):
        return (a._n * b._d) // (a._d * b._n)

    @staticmethod
    def _mod(a, b):
        return Fraction((a._n * b._d) % (b._n * a._d), a._d * b._d)

    def __add__(self, o): return self._op(o, Fraction._add, lambda a, b: a + b)
    def __radd__(self, o): return self._rop(o, Fraction._add, lambda a, b: a + b)
    def __sub__(self, o): return self._op(o, Fraction._sub, lambda a, b: a - b)
    def __rsub__(self, o): return self._rop(o, Fraction._sub, lambda a, b: a - b)
    def __mul__(self, o): return self._op(o, Fraction._mul, lambda a, b: a * b)
    def __rmul__(self, o): return self._rop(o, Fraction._mul, lambda a, b: a * b)
    def __truediv__(self, o): return self._op(o, Fraction._div, lambda a, b: a / b)
    def __rtruediv__(self, o): return self._rop(o, Fraction._div, lambda a, b: a / b)
    def __floordiv__(self, o): return self._op(o, Fraction._floordiv, lambda a, b: a // b)
    def __rfloordiv__(self, o): return self._rop(o, Fraction._floordiv, lambda a, b: a // b)
    def __mod__(self, o): return self._op(o, Fraction._mod, lambda a, b: a % b)
    def __rmod__(self, o): return self._rop(o, Fraction._mod, lambda a, b: a % b)

    def __divmod__(self, o):
        return (self // o, self % o)

    def __pow__(self, other):
        if isinstance(other, int) or (isinstance(other, Fraction) and other._d == 1):
            p = int(other)
            if p >= 0:
                return Fraction(self._n ** p, self._d ** p)
            if self._n == 0:
                raise ZeroDivisionError("Fraction(%s, 0)" % (self._d ** -p))
            return Fraction(self._d ** -p, self._n ** -p)
        return float(self) ** float(other)

    def __rpow__(self, other):
        if self._d == 1 and self._n >= 0 and isinstance(other, int):
            return Fraction(other ** self._n)
        return other ** float(self)

    def __pos__(self):
        return Fraction(self._n, self._d)

    def __neg__(self):
        return Fraction(-self._n, self._d)

    def __abs__(self):
        return Fraction(abs(self._n), self._d)

    def __int__(self):
        return -(-self._n // self._d) if self._n < 0 else self._n // self._d

    __trunc__ = __int__

    def __floor__(self):
        return self._n // self._d

    def __ceil__(self):
        return -(-self._n // self._d)

    def __float__(self):
        return self._n / self._d

    def __round__(self, ndigits=None):
        if ndigits is None:
            floor, rem = divmod(self._n, self._d)
            if rem * 2 < self._d:
                return floor
            if rem * 2 > self._d:
                return floor + 1
            return floor if floor % 2 == 0 else floor + 1
        shift = 10 ** abs(ndigits)
        if ndigits > 0:
            return Fraction(round(self * shift), shift)
        return Fraction(round(self / shift) * shift)

    def __hash__(self):
        if self._d == 1:
            return hash(self._n)
        return hash(float(self))

    def _cmp(self, other, op):
        o = self._coerce(other)
        if o is not None:
            return op(self._n * o._d, o._n * self._d)
        if isinstance(other, float):
            return op(float(self), other)
        return NotImplemented

    def __eq__(self, other):
        o = self._coerce(other)
        if o is not None:
            return self._n == o._n and self._d == o._d
        if isinstance(other, float):
            return float(self) == other
        return NotImplemented

    def __lt__(self, o): return self._cmp(o, lambda a, b: a < b)
    def __le__(self, o): return self._cmp(o, lambda a, b: a <= b)
    def __gt__(self, o): return self._cmp(o, lambda a, b: a > b)
    def __ge__(self, o): return self._cmp(o, lambda a, b: a >= b)

    def __bool__(self):
        return self._n != 0


def _parse(s):
    t = s.strip().replace("_", "")
    try:
        if "/" in t:
            a, b = t.split("/")
            if not a.strip() == a or not b.strip() == b:
                raise ValueError
            return int(a), int(b)
        sign = 1
        if t[:1] in "+-":
            sign = -1 if t[0] == "-" else 1
            t = t[1:]
        mant, _, exp = t.lower().partition("e")
        whole, _, frac = mant.partition(".")
        if not (whole or frac) or not (whole + frac).isdigit():
            raise ValueError
        n = int(whole + frac or "0")
        d = 10 ** len(frac)
        e = int(exp) if exp else 0
        if e >= 0:
            n *= 10 ** e
        else:
            d *= 10 ** -e
        return sign * n, d
    except (ValueError, IndexError):
        raise ValueError("Invalid literal for Fraction: %r" % s) from None


try:
    import numbers as _numbers
    _numbers._register(Fraction)
except ImportError:
    pass
