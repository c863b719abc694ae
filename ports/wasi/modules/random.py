"""random: CPython's random API on top of the built-in generator.

Module functions: seed, random, getrandbits, randrange, randint, choice,
choices (weights/cum_weights/k), shuffle, sample (with counts=), uniform,
triangular, gauss, normalvariate, lognormvariate, expovariate,
betavariate, gammavariate, paretovariate,
weibullvariate, randbytes and SystemRandom (os.urandom). Left out:
vonmisesvariate, binomialvariate. Random(seed) instances have their own state (a
splitmix64 generator written in Python). The numbers differ from CPython's
Mersenne Twister for the same seed: only the distributions match.
"""

import urandom as _r
from math import sqrt as _sqrt, log as _log, exp as _exp, cos as _cos, sin as _sin, pi as _pi, floor as _floor

_M64 = (1 << 64) - 1


class Random:
    def __init__(self, x=None):
        self.seed(x)
        self._gauss_next = None

    def seed(self, a=None, version=2):
        if a is None:
            a = _r.getrandbits(32) << 32 | _r.getrandbits(32)
        elif not isinstance(a, int):
            a = hash(a) if not isinstance(a, (str, bytes, bytearray)) else _str_seed(a)
        self._state = a & _M64
        self._gauss_next = None

    def _next64(self):
        self._state = z = (self._state + 0x9E3779B97F4A7C15) & _M64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
        return z ^ (z >> 31)

    def getrandbits(self, k):
        if k < 0:
            raise ValueError("number of bits must be non-negative")
        x = 0
        n = 0
        while n < k:
            x = x << 64 | self._next64()
            n += 64
        return x >> (n - k)

    def random(self):
        return self.getrandbits(53) / 9007199254740992.0

    def getstate(self):
        return (self._state, self._gauss_next)

    def setstate(self, state):
        self._state, self._gauss_next = state

    def _randbelow(self, n):
        k = len(bin(n)) - 2  # n.bit_length(), n > 0
        r = self.getrandbits(k)
        while r >= n:
            r = self.getrandbits(k)
        return r

    def randrange(self, start, stop=None, step=1):
        if stop is None:
            if start <= 0:
                raise ValueError("empty range for randrange()")
            return self._randbelow(start)
        width = stop - start
        if step == 1:
            if width <= 0:
                raise ValueError("empty range for randrange() (%d, %d, %d)" % (start, stop, width))
            return start + self._randbelow(width)
        if step == 0:
            raise ValueError("zero step for randrange()")
        n = (width + step - 1) // step if step > 0 else (width + step + 1) // step
        if n <= 0:
            raise ValueError("empty range for randrange()")
        return start + step * self._randbelow(n)

    def randint(self, a, b):
        return self.randrange(a, b + 1)

    def randbytes(self, n):
        return self.getrandbits(n * 8).to_bytes(n, "little")

    def choice(self, seq):
        if not len(seq):
            raise IndexError("Cannot choose from an empty sequence")
        return seq[self._randbelow(len(seq))]

    def shuffle(self, x):
        for i in range(len(x) - 1, 0, -1):
            j = self._randbelow(i + 1)
            x[i], x[j] = x[j], x[i]

    def sample(self, population, k, *, counts=None):
        if isinstance(population, (set, frozenset)):
            raise TypeError("Population must be a sequence.  For dicts or sets, use sorted(d).")
        if counts is not None:
            expanded = []
            for item, c in zip(population, counts):
                expanded.extend([item] * c)
            population = expanded
        pool = list(population)
        n = len(pool)
        if not 0 <= k <= n:
            raise ValueError("Sample larger than population or is negative")
        result = []
        for i in range(k):
            j = self._randbelow(n - i)
            result.append(pool[j])
            pool[j] = pool[n - i - 1]
        return result

    def choices(self, population, weights=None, *, cum_weights=None, k=1):
        n = len(population)
        if cum_weights is None:
            if weights is None:
                return [population[self._randbelow(n)] for _ in range(k)]
            cum_weights = []
            total = 0
            for w in weights:
                total += w
                cum_weights.append(total)
        elif weights is not None:
            raise TypeError("Cannot specify both weights and cumulative weights")
        if len(cum_weights) != n:
            raise ValueError("The number of weights does not match the population")
        total = cum_weights[-1] + 0.0
        if total <= 0.0:
            raise ValueError("Total of weights must be greater than zero")
        from bisect import bisect_right
        return [population[bisect_right(cum_weights, self.random() * total, 0, n - 1)] for _ in range(k)]

    def uniform(self, a, b):
        return a + (b - a) * self.random()

    def triangular(self, low=0.0, high=1.0, mode=None):
        u = self.random()
        try:
            c = 0.5 if mode is None else (mode - low) / (high - low)
        except ZeroDivisionError:
            return low
        if u > c:
            u = 1.0 - u
            c = 1.0 - c
            low, high = high, low
        return low + (high - low) * _sqrt(u * c)

    def normalvariate(self, mu=0.0, sigma=1.0):
        while True:
            u1 = self.random()
            u2 = 1.0 - self.random()
            z = 1.7155277699214135 * (u1 - 0.5) / u2
            if z * z / 4.0 <= -_log(u2):
                break
        return mu + z * sigma

    def gauss(self, mu=0.0, sigma=1.0):
        z = self._gauss_next
        self._gauss_next = None
        if z is None:
            x2pi = self.random() * 2 * _pi
            g2rad = _sqrt(-2.0 * _log(1.0 - self.random()))
            z = _cos(x2pi) * g2rad
            self._gauss_next = _sin(x2pi) * g2rad
        return mu + z * sigma

    def lognormvariate(self, mu, sigma):
        return _exp(self.normalvariate(mu, sigma))

    def expovariate(self, lambd=1.0):
        return -_log(1.0 - self.random()) / lambd

    def gammavariate(self, alpha, beta):
        if alpha <= 0.0 or beta <= 0.0:
            raise ValueError("gammavariate: alpha and beta must be > 0.0")
        if alpha > 1.0:
            d = alpha - 1.0 / 3.0
            c = 1.0 / _sqrt(9.0 * d)
            while True:
                x = self.normalvariate()
                v = (1.0 + c * x) ** 3
                if v > 0 and _log(1.0 - self.random()) < 0.5 * x * x + d - d * v + d * _log(v):
                    return d * v * beta
        if alpha == 1.0:
            return -_log(1.0 - self.random()) * beta
        return self.gammavariate(alpha + 1.0, beta) * self.random() ** (1.0 / alpha)

    def betavariate(self, alpha, beta):
        y = self.gammavariate(alpha, 1.0)
        return y / (y + self.gammavariate(beta, 1.0)) if y else 0.0

    def paretovariate(self, alpha):
        return 1.0 / (1.0 - self.random()) ** (1.0 / alpha)

    def weibullvariate(self, alpha, beta):
        return alpha * (-_log(1.0 - self.random())) ** (1.0 / beta)


def _str_seed(a):
    if isinstance(a, str):
        a = a.encode()
    x = 0
    for b in a:
        x = (x * 1000003 + b) & _M64
    return x ^ len(a)


class _Global(Random):
    """The module's functions: the built-in generator's bits."""

    def __init__(self):
        self._gauss_next = None

    def seed(self, a=None, version=2):
        if a is None:
            _r.seed()
        else:
            if not isinstance(a, int):
                a = hash(a) if not isinstance(a, (str, bytes, bytearray)) else _str_seed(a)
            _r.seed(a & 0xFFFFFFFF ^ (a >> 32) & 0xFFFFFFFF)
        self._gauss_next = None

    def getrandbits(self, k):
        if k < 0:
            raise ValueError("number of bits must be non-negative")
        x = 0
        n = 0
        while n < k:
            x = x << 32 | _r.getrandbits(32)
            n += 32
        return x >> (n - k)

    def random(self):
        return _r.random()


class SystemRandom(Random):
    def __init__(self, x=None):
        self._gauss_next = None

    def seed(self, *args, **kw):
        pass

    def getrandbits(self, k):
        import os
        n = (k + 7) // 8
        return int.from_bytes(os.urandom(n), "big") >> (n * 8 - k)

    def random(self):
        return self.getrandbits(53) / 9007199254740992.0


_inst = _Global()
seed = _inst.seed
random = _inst.random
getrandbits = _inst.getrandbits
randrange = _inst.randrange
randint = _inst.randint
randbytes = _inst.randbytes
choice = _inst.choice
choices = _inst.choices
shuffle = _inst.shuffle
sample = _inst.sample
uniform = _inst.uniform
triangular = _inst.triangular
normalvariate = _inst.normalvariate
gauss = _inst.gauss
lognormvariate = _inst.lognormvariate
expovariate = _inst.expovariate
gammavariate = _inst.gammavariate
betavariate = _inst.betavariate
paretovariate = _inst.paretovariate
weibullvariate = _inst.weibullvariate
