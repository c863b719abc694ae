stock = {"apple": 10, "banana": 5, "cherry": 0}
orders = [("apple", 3), ("banana", 6), ("durian", 1), ("apple", 2)]

for item, qty in orders:
    available = stock.get(item)
    if available is None:
        print(f"{item}: unknown item")
    elif available < qty:
        print(f"{item}: only {available} left, wanted {qty}")
    else:
        stock[item] = available - qty
        print(f"{item}: shipped {qty}")
print(stock)
print([k for k, v in stock.items() if v == 0])
stock.pop("cherry")
print(stock, len(stock))
