from dataclasses import dataclass, field


@dataclass
class Item:
    name: str
    price: float
    quantity: int = 1
    tags: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return self.price * self.quantity


a = Item("pen", 1.5, 4)
b = Item("book", 12.0, tags=["paper"])
print(a)
print(b)
print(a.total, b.total)
print(a == Item("pen", 1.5, 4))
