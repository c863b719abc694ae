def area(width: float, height: float = 1.0) -> float:
    return width * height


print(area.__annotations__)
print(area.__name__, area(3, 2))


class Cfg:
    name: str
    size: int = 3


print(Cfg.__annotations__)
