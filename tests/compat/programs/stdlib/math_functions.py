import math

print(math.sqrt(16), math.floor(2.7), math.ceil(2.1), math.trunc(-2.7))
print(math.factorial(20), math.comb(10, 3), math.perm(5, 2))
print(round(math.sin(math.pi / 6), 6), round(math.cos(0), 6), round(math.atan2(1, 1), 6))
print(round(math.log(100, 10), 6), math.log2(1024), math.log10(1000))
print(math.isclose(0.1 + 0.2, 0.3), math.hypot(3, 4), math.fsum([0.1] * 10))
print(math.gcd(48, 180), math.isqrt(99), math.copysign(3, -1), math.fabs(-2))
print(math.inf > 10 ** 300, math.e > 2.71, math.tau == 2 * math.pi)
print(math.prod([1, 2, 3, 4]), math.dist((0, 0), (3, 4)))
