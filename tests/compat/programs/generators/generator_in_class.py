class Inventory:
    def __init__(self):
        self.items = {}

    def add(self, name, qty):
        self.items[name] = self.items.get(name, 0) + qty
        return self

    def low_stock(self, threshold):
        for name, qty in self.items.items():
            if qty < threshold:
                yield name, qty

    def __iter__(self):
        yield from sorted(self.items)


inv = Inventory().add("bolts", 3).add("nuts", 50).add("bolts", 1).add("gears", 8)
print(list(inv.low_stock(10)))
print(list(inv))
