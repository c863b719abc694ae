prices = [19.99, 5.49, 3.00, 120.0, 45.5]
cheap = list(filter(lambda p: p < 20, prices))
with_tax = list(map(lambda p: round(p * 1.2, 2), prices))
print(cheap, with_tax)
print([(i, p) for i, p in enumerate(prices) if p > 10])
print(any(p > 100 for p in prices), all(p > 1 for p in prices))
print(min(prices), max(prices), round(sum(prices), 2))
print(sorted(prices, reverse=True)[:2])
