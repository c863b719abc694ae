codes = {"us": "United States", "fr": "France", "de": "Germany", "jp": "Japan"}
inverted = {v: k for k, v in codes.items()}
print(inverted)
lengths = {k: len(v) for k, v in codes.items() if len(v) > 5}
print(lengths)
print(dict(zip(codes.values(), codes.keys())) == inverted)
print(list(codes.keys())[:2], list(codes.values())[-1])
