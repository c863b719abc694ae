from collections.abc import Iterable, Mapping, Sequence


def kind(x) -> str:
    if isinstance(x, Mapping):
        return "mapping"
    if isinstance(x, str):
        return "string"
    if isinstance(x, Sequence):
        return "sequence"
    if isinstance(x, Iterable):
        return "iterable"
    return "scalar"


for v in [{"a": 1}, "hi", [1], (2,), {3}, range(2), 5]:
    print(type(v).__name__, kind(v))
