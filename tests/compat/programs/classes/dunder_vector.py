class Vector:
    def __init__(self, *components: float) -> None:
        self.components = tuple(components)

    def __add__(self, other: "Vector") -> "Vector":
        return Vector(*(a + b for a, b in zip(self.components, other.components)))

    def __sub__(self, other: "Vector") -> "Vector":
        return Vector(*(a - b for a, b in zip(self.components, other.components)))

    def __mul__(self, k: float) -> "Vector":
        return Vector(*(a * k for a in self.components))

    __rmul__ = __mul__

    def __abs__(self) -> float:
        return sum(a * a for a in self.components) ** 0.5

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vector) and self.components == other.components

    def __len__(self) -> int:
        return len(self.components)

    def __getitem__(self, i: int) -> float:
        return self.components[i]

    def __repr__(self) -> str:
        return f"Vector{self.components}"


v, w = Vector(1, 2), Vector(3, 4)
print(v + w, w - v, v * 3, 2 * v, abs(w), len(v), v[1], v == Vector(1, 2))
print(list(v))
