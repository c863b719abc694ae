from typing import Callable


def apply_twice(f: Callable[[int], int], x: int) -> int:
    return f(f(x))


def make_adder(n: int) -> Callable[[int], int]:
    def add(x: int) -> int:
        return x + n
    return add


print(apply_twice(make_adder(5), 1))
print(apply_twice(lambda v: v * v, 3))
