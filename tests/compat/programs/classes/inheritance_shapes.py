import math


class Shape:
    def area(self) -> float:
        raise NotImplementedError

    def describe(self) -> str:
        return f"{type(self).__name__} with area {self.area():.2f}"


class Circle(Shape):
    def __init__(self, r: float) -> None:
        self.r = r

    def area(self) -> float:
        return math.pi * self.r ** 2


class Square(Shape):
    def __init__(self, side: float) -> None:
        self.side = side

    def area(self) -> float:
        return self.side ** 2


class Cube(Square):
    def area(self) -> float:
        return 6 * super().area()


for s in [Circle(1), Square(2), Cube(2)]:
    print(s.describe(), isinstance(s, Square))
try:
    Shape().area()
except NotImplementedError:
    print("abstract")
