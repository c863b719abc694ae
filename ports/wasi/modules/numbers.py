"""numbers: the numeric tower's names (Number, Complex, Real, Rational, Integral).

isinstance(x, numbers.Real) and the like work for the built-in int, float,
complex and bool (and fractions.Fraction) through a check in Python, since
MicroPython has no __instancecheck__: numbers.Number and its children are
tuples of the matching built-in types, usable only with isinstance() and
issubclass(), not as base classes.
"""

try:
    _complex = (complex,)
except NameError:
    _complex = ()

Integral = (int,)
Rational = Integral
Real = (int, float)
Complex = Real + _complex
Number = Complex


def _register(cls):
    # fractions.Fraction joins Rational and above.
    global Rational, Real, Complex, Number
    Rational = Rational + (cls,)
    Real = Real + (cls,)
    Complex = Complex + (cls,)
    Number = Number + (cls,)
