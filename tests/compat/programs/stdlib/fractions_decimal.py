from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction

print(Fraction(1, 3) + Fraction(1, 6), Fraction(3, 4) * 2, Fraction("0.125"))
print(sum(Fraction(1, n) for n in range(1, 5)))
print(Decimal("0.1") + Decimal("0.2"), Decimal("1.005").quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
print(Fraction(22, 7).limit_denominator(5), float(Fraction(1, 8)))
