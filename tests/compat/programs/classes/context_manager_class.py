class Timer:
    def __init__(self, name: str) -> None:
        self.name = name
        self.log: list[str] = []

    def __enter__(self) -> "Timer":
        self.log.append(f"enter {self.name}")
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        self.log.append(f"exit {self.name} ({exc_type.__name__ if exc_type else 'ok'})")
        return exc_type is ValueError


with Timer("a") as t:
    t.log.append("body")
print(t.log)
with Timer("b") as t2:
    raise ValueError("swallowed")
print(t2.log)
try:
    with Timer("c") as t3:
        raise KeyError("k")
except KeyError:
    print("propagated", t3.log)
