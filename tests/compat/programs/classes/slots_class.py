class Pixel:
    __slots__ = ("x", "y", "color")

    def __init__(self, x: int, y: int, color: str = "black") -> None:
        self.x, self.y, self.color = x, y, color

    def __repr__(self) -> str:
        return f"Pixel({self.x}, {self.y}, {self.color!r})"


p = Pixel(1, 2)
print(p)
try:
    p.alpha = 0.5
except AttributeError:
    print("no new attributes")
print(Pixel.__slots__)
