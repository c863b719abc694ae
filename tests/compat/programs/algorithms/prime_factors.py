from collections import Counter


def factorize(n: int) -> Counter:
    factors = Counter()
    d = 2
    while d * d <= n:
        while n % d == 0:
            factors[d] += 1
            n //= d
        d += 1
    if n > 1:
        factors[n] += 1
    return factors


for n in [360, 97, 1001, 2 ** 10 * 3 ** 5, 600851475143]:
    f = factorize(n)
    text = " * ".join(f"{p}^{e}" if e > 1 else str(p) for p, e in sorted(f.items()))
    print(f"{n} = {text}")
