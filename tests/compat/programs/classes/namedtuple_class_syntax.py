from typing import NamedTuple


class Point(NamedTuple):
    x: float
    y: float = 0.0

    def dist(self) -> float:
        return (self.x ** 2 + self.y ** 2) ** 0.5


p = Point(3, 4)
print(p, p.dist(), p._asdict(), Point(1))
x, y = p
print(x + y, p == (3, 4), isinstance(p, tuple))
