from typing import Sequence, Iterable, Mapping


def total_length(items: Iterable[str]) -> int:
    return sum(len(i) for i in items)


def lookup(table: Mapping[str, int], keys: Sequence[str]) -> list[int]:
    return [table.get(k, -1) for k in keys]


print(total_length(["ab", "cde"]), total_length(("x",)), total_length({"y": 1}))
print(lookup({"a": 1, "b": 2}, ["a", "z", "b"]))
