prices = {"jan": 120.0, "feb": 126.5, "mar": 118.2, "apr": 131.9}
months = list(prices)
for prev, cur in zip(months, months[1:]):
    change = (prices[cur] - prices[prev]) / prices[prev]
    print(f"{prev}->{cur}: {change:+.2%}")
