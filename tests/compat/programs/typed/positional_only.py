def power(base: float, exp: float = 2, /, *, mod: int | None = None) -> float:
    r = base ** exp
    return r % mod if mod else r


print(power(3), power(2, 10), power(2, 10, mod=1000))
try:
    power(base=2)
except TypeError:
    print("positional only")
