values = [1, 2.0, "3", [4], (5,), {6: 6}, {7}, None, True, b"8", range(9)]
for v in values:
    print(type(v), type(v).__name__, repr(v))
