from typing import Generator, Iterator


def countdown(n: int) -> Iterator[int]:
    while n > 0:
        yield n
        n -= 1


def echo() -> Generator[str, str, int]:
    received = 0
    msg = yield "ready"
    while msg != "stop":
        received += 1
        msg = yield f"echo: {msg}"
    return received


print(list(countdown(4)))
g = echo()
print(next(g), g.send("hi"), g.send("there"))
try:
    g.send("stop")
except StopIteration as s:
    print("received", s.value)
