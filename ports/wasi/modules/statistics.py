"""statistics: CPython's statistics functions, computed exactly with Fraction.

mean, fmean, geometric_mean, harmonic_mean, median, median_low, median_high,
median_grouped, mode, multimode, quantiles, pvariance, variance, pstdev,
stdev, covariance, correlation, linear_regression and StatisticsError. Sums
are exact (as in CPython) and converted back to the data's type (int, float
or Fraction); square roots and the float conversion of huge fractions may
differ from CPython's in the last bit. Left out: NormalDist, Decimal data.
"""

import math
from fractions import Fraction


class StatisticsError(ValueError):
    pass


def _exact(x):
    if isinstance(x, (int, Fraction)):
        return Fraction(x)
    if isinstance(x, float):
        if x - x != 0.0:
            # nan or inf (math.inf cannot be a frozen constant)
            return None
        return Fraction(x)
    raise TypeError("can't convert type '%s' to numerator/denominator" % type(x).__name__)


def _sum(data):
    # (type, exact total, count); a nan or inf makes the total a float.
    T = int
    total = Fraction(0)
    special = None
    n = 0
    for x in data:
        n += 1
        if isinstance(x, bool):
            pass
        elif isinstance(x, float):
            T = float
        elif isinstance(x, Fraction) and T is int:
            T = Fraction
        e = _exact(x)
        if e is None:
            special = x if special is None else special + x
        else:
            total += e
    return T, (total if special is None else special), n


def _convert(value, T):
    # As CPython: back to the data's type; a non-whole "int" result is a float.
    if isinstance(value, float):
        return value
    if T is int:
        return value.numerator if value.denominator == 1 else value.numerator / value.denominator
    if T is float:
        return value.numerator / value.denominator
    return value


def mean(data):
    T, total, n = _sum(data)
    if n < 1:
        raise StatisticsError("mean requires at least one data point")
    if isinstance(total, float):
        return total / n
    return _convert(total / n, T)


def fmean(data, weights=None):
    if weights is None:
        data = list(data)
        n = len(data)
        if n == 0:
            raise StatisticsError("fmean requires at least one data point")
        return fsum_(data) / n
    data = list(data)
    weights = list(weights)
    if len(weights) != len(data):
        raise StatisticsError("data and weights must be the same length")
    num = sum(Fraction(x) * Fraction(w) for x, w in zip(data, weights))
    den = sum(Fraction(w) for w in weights)
    if not den:
        raise StatisticsError("sum of weights must be non-zero")
    return float(num / den)


def geometric_mean(data):
    data = list(data)
    if not data:
        raise StatisticsError("geometric_mean requires a non-empty dataset containing positive numbers")
    try:
        return math.exp(fmean([math.log(x) for x in data]))
    except ValueError:
        raise StatisticsError("geometric mean requires a non-empty dataset containing positive numbers") from None


def harmonic_mean(data, weights=None):
    data = list(data)
    if not data:
        raise StatisticsError("harmonic_mean requires at least one data point")
    if weights is None:
        weights = [1] * len(data)
    T = float if any(isinstance(x, float) for x in data) else (Fraction if any(isinstance(x, Fraction) for x in data) else int)
    for x in data:
        if x < 0:
            raise StatisticsError("harmonic mean does not support negative values")
    if any(x == 0 for x in data):
        return 0 if T is int else T(0)
    total_w = sum(Fraction(w) for w in weights)
    s = sum(Fraction(w) / Fraction(x) for x, w in zip(data, weights))
    # CPython divides w / x: int data gives a float.
    return _convert(total_w / s, float if T is int else T)


def median(data):
    data = sorted(data)
    n = len(data)
    if n == 0:
        raise StatisticsError("no median for empty data")
    if n % 2 == 1:
        return data[n // 2]
    i = n // 2
    return (data[i - 1] + data[i]) / 2


def median_low(data):
    data = sorted(data)
    n = len(data)
    if n == 0:
        raise StatisticsError("no median for empty data")
    return data[n // 2] if n % 2 else data[n // 2 - 1]


def median_high(data):
    data = sorted(data)
    if not data:
        raise StatisticsError("no median for empty data")
    return data[len(data) // 2]


def median_grouped(data, interval=1):
    data = sorted(data)
    n = len(data)
    if not n:
        raise StatisticsError("no median for empty data")
    x = data[n // 2]
    L = x - interval / 2
    cf = 0
    while cf < n and data[cf] < x:
        cf += 1
    f = 0
    while cf + f < n and data[cf + f] == x:
        f += 1
    return L + interval * (n / 2 - cf) / f


def _counts(data):
    counts = {}
    order = []
    for x in data:
        if x in counts:
            counts[x] += 1
        else:
            counts[x] = 1
            order.append(x)
    return counts, order


def mode(data):
    counts, order = _counts(data)
    if not order:
        raise StatisticsError("no mode for empty data")
    best = max(counts[x] for x in order)
    for x in order:
        if counts[x] == best:
            return x


def multimode(data):
    counts, order = _counts(data)
    if not order:
        return []
    best = max(counts[x] for x in order)
    return [x for x in order if counts[x] == best]


def quantiles(data, *, n=4, method="exclusive"):
    if n < 1:
        raise StatisticsError("n must be at least 1")
    data = sorted(data)
    ld = len(data)
    if ld < 2:
        if ld == 1:
            return data * (n - 1)
        raise StatisticsError("must have at least one data point")
    if method == "inclusive":
        m = ld - 1
        result = []
        for i in range(1, n):
            j, delta = divmod(i * m, n)
            interpolated = (data[j] * (n - delta) + data[j + 1] * delta) / n
            result.append(interpolated)
        return result
    if method == "exclusive":
        m = ld + 1
        result = []
        for i in range(1, n):
            j = i * m // n
            j = 1 if j < 1 else ld - 1 if j > ld - 1 else j
            delta = i * m - j * n
            interpolated = (data[j - 1] * (n - delta) + data[j] * delta) / n
            result.append(interpolated)
        return result
    raise ValueError("Unknown method: %r" % (method,))


def _ss(data, c=None):
    T, total, n = _sum(data)
    if isinstance(total, float):
        return T, total, n
    if c is None:
        c = total / n if n else Fraction(0)
    else:
        c = _exact(c)
    ss = sum((_exact(x) - c) ** 2 for x in data)
    return T, ss, n


def pvariance(data, mu=None):
    data = list(data)
    T, ss, n = _ss(data, mu)
    if n < 1:
        raise StatisticsError("pvariance requires at least one data point")
    if isinstance(ss, float):
        return ss
    return _convert(ss / n, T)


def variance(data, xbar=None):
    data = list(data)
    T, ss, n = _ss(data, xbar)
    if n < 2:
        raise StatisticsError("variance requires at least two data points")
    if isinstance(ss, float):
        return ss
    return _convert(ss / (n - 1), T)


def _sqrt_frac(v):
    if isinstance(v, float):
        return math.sqrt(v)
    v = Fraction(v)
    return math.sqrt(v.numerator / v.denominator)


def pstdev(data, mu=None):
    data = list(data)
    T, ss, n = _ss(data, mu)
    if n < 1:
        raise StatisticsError("pstdev requires at least one data point")
    if isinstance(ss, float):
        return math.sqrt(ss)
    return _sqrt_frac(ss / n)


def stdev(data, xbar=None):
    data = list(data)
    T, ss, n = _ss(data, xbar)
    if n < 2:
        raise StatisticsError("stdev requires at least two data points")
    if isinstance(ss, float):
        return math.sqrt(ss)
    return _sqrt_frac(ss / (n - 1))


def covariance(x, y):
    n = len(x)
    if len(y) != n:
        raise StatisticsError("covariance requires that both inputs have same number of data points")
    if n < 2:
        raise StatisticsError("covariance requires at least two data points")
    xbar = fsum_(x) / n
    ybar = fsum_(y) / n
    sxy = fsum_((xi - xbar) * (yi - ybar) for xi, yi in zip(x, y))
    return sxy / (n - 1)


def correlation(x, y):
    n = len(x)
    if len(y) != n:
        raise StatisticsError("correlation requires that both inputs have same number of data points")
    if n < 2:
        raise StatisticsError("correlation requires at least two data points")
    xbar = fsum_(x) / n
    ybar = fsum_(y) / n
    sxy = fsum_((xi - xbar) * (yi - ybar) for xi, yi in zip(x, y))
    sxx = fsum_((d := xi - xbar) * d for xi in x)
    syy = fsum_((d := yi - ybar) * d for yi in y)
    try:
        return sxy / math.sqrt(sxx * syy)
    except ZeroDivisionError:
        raise StatisticsError("at least one of the inputs is constant") from None


class LinearRegression(tuple):
    def __init__(self, slope, intercept):
        super().__init__((slope, intercept))

    slope = property(lambda self: self[0])
    intercept = property(lambda self: self[1])

    def __repr__(self):
        return "LinearRegression(slope=%r, intercept=%r)" % tuple(self)

    __str__ = __repr__


def linear_regression(x, y, *, proportional=False):
    n = len(x)
    if len(y) != n:
        raise StatisticsError("linear regression requires that both inputs have same number of data points")
    if n < 2:
        raise StatisticsError("linear regression requires at least two data points")
    if not proportional:
        xbar = fsum_(x) / n
        ybar = fsum_(y) / n
        x = [xi - xbar for xi in x]
        y = [yi - ybar for yi in y]
    sxy = fsum_(xi * yi for xi, yi in zip(x, y)) + 0.0
    sxx = fsum_(xi * xi for xi in x)
    try:
        slope = sxy / sxx
    except ZeroDivisionError:
        raise StatisticsError("x is constant") from None
    intercept = 0.0 if proportional else ybar - slope * xbar
    return LinearRegression(slope, intercept)


def fsum_(values):
    # An exactly rounded float sum (math.fsum where the image has it).
    return float(sum(Fraction(v) for v in values))
