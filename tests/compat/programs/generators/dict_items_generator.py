prices = {"apple": 0.5, "bread": 2.25, "cheese": 7.0, "dates": 3.5}
expensive = {k: v for k, v in prices.items() if v > 2}
print(expensive)
total = sum(v for v in prices.values())
print(f"{total:.2f}")
print(next(k for k, v in prices.items() if v > 3))
print(list(k.upper() for k in prices))
