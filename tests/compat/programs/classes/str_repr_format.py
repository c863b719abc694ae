class Fraction:
    def __init__(self, n: int, d: int) -> None:
        self.n, self.d = n, d

    def __str__(self) -> str:
        return f"{self.n}/{self.d}"

    def __repr__(self) -> str:
        return f"Fraction({self.n}, {self.d})"

    def __format__(self, spec: str) -> str:
        if spec == "f":
            return f"{self.n / self.d:.3f}"
        return format(str(self), spec)


f = Fraction(1, 3)
print(f, repr(f), [f], f"{f}", f"{f!r}", f"{f:f}", f"[{f:>6}]")
print(str([f, f]), "%s and %r" % (f, f))
