def greet(name: str, *, greeting: str = "Hello", punctuation: str = "!") -> str:
    return f"{greeting}, {name}{punctuation}"


def stats(*values: float, precision: int = 2) -> dict[str, float]:
    mean = sum(values) / len(values)
    return {"mean": round(mean, precision), "max": max(values)}


print(greet("Ada"))
print(greet("Bob", greeting="Hi", punctuation="?"))
print(stats(1, 2, 3.5, precision=1))
try:
    greet("x", "y")
except TypeError:
    print("keyword-only")
