class Product:
    def __init__(self, sku: str, name: str, price: float) -> None:
        self.sku, self.name, self.price = sku, name, price


class Cart:
    TAX = 0.08

    def __init__(self) -> None:
        self.lines: dict[str, list] = {}

    def add(self, product: Product, qty: int = 1) -> None:
        if qty <= 0:
            raise ValueError("quantity must be positive")
        line = self.lines.setdefault(product.sku, [product, 0])
        line[1] += qty

    def remove(self, sku: str) -> None:
        if sku not in self.lines:
            raise KeyError(sku)
        del self.lines[sku]

    @property
    def subtotal(self) -> float:
        return sum(p.price * q for p, q in self.lines.values())

    def receipt(self) -> str:
        rows = [f"{p.name:<12}{q:>3} x {p.price:>6.2f}" for p, q in self.lines.values()]
        rows.append(f"{'subtotal':<12}{self.subtotal:>13.2f}")
        rows.append(f"{'total':<12}{self.subtotal * (1 + self.TAX):>13.2f}")
        return "\n".join(rows)


cart = Cart()
cart.add(Product("A1", "notebook", 3.5), 2)
cart.add(Product("B2", "pen", 1.25), 4)
cart.add(Product("A1", "notebook", 3.5))
try:
    cart.add(Product("C3", "eraser", 0.5), 0)
except ValueError as e:
    print("error:", e)
print(cart.receipt())
cart.remove("B2")
print(len(cart.lines), round(cart.subtotal, 2))
