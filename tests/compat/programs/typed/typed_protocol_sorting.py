from typing import Any, Iterable, TypeVar

K = TypeVar("K")


def top_n(items: Iterable[tuple[str, float]], n: int = 3) -> list[str]:
    return [name for name, _ in sorted(items, key=lambda kv: kv[1], reverse=True)[:n]]


def group(pairs: Iterable[tuple[K, Any]]) -> dict[K, list[Any]]:
    out: dict[K, list[Any]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


print(top_n([("a", 1.0), ("b", 3.5), ("c", 2.2), ("d", 0.1)]))
print(group([("x", 1), ("y", 2), ("x", 3)]))
