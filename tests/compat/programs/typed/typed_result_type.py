from dataclasses import dataclass
from typing import Generic, TypeVar, Union

T = TypeVar("T")
E = TypeVar("E")


@dataclass
class Ok(Generic[T]):
    value: T


@dataclass
class Err(Generic[E]):
    error: E


Result = Union[Ok[T], Err[E]]


def safe_div(a: float, b: float) -> "Result[float, str]":
    return Err("division by zero") if b == 0 else Ok(a / b)


for a, b in [(1, 2), (1, 0)]:
    r = safe_div(a, b)
    if isinstance(r, Ok):
        print("ok", r.value)
    else:
        print("err", r.error)
