import math
from functools import reduce


def lcm(a: int, b: int) -> int:
    return a * b // math.gcd(a, b)


nums = [12, 18, 30, 45]
print("gcd:", reduce(math.gcd, nums))
print("lcm:", reduce(lcm, nums))
print("lcm 1..20:", reduce(lcm, range(1, 21)))
