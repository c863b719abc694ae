from typing import ClassVar


class Counter:
    instances: ClassVar[int] = 0
    name: str

    def __init__(self, name: str) -> None:
        self.name = name
        Counter.instances += 1


a, b = Counter("a"), Counter("b")
print(Counter.instances, a.name, b.name)
