from dataclasses import dataclass


@dataclass
class Point:
    x: int
    y: int


def where(p) -> str:
    match p:
        case Point(x=0, y=0):
            return "origin"
        case Point(x=0, y=y):
            return f"on y-axis at {y}"
        case Point(x=x, y=0):
            return f"on x-axis at {x}"
        case Point():
            return "elsewhere"
        case {"x": x, "y": y}:
            return f"dict point {x},{y}"
        case _:
            return "not a point"


for p in [Point(0, 0), Point(0, 5), Point(3, 0), Point(1, 1), {"x": 1, "y": 2}, 42]:
    print(where(p))
