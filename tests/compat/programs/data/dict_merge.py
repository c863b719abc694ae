defaults = {"color": "blue", "size": "M", "tags": ["basic"]}
overrides = {"size": "L", "price": 19.99}

merged = {**defaults, **overrides}
print(merged)
merged2 = defaults | overrides
print(merged2 == merged)
d = dict(defaults)
d |= {"color": "red"}
print(d)
