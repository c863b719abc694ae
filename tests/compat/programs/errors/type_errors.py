cases = [
    lambda: "a" + 1,
    lambda: len(5),
    lambda: None(),
    lambda: [1, 2] * "x",
    lambda: {}[[]],
    lambda: sum(["a", "b"]),
]
for c in cases:
    try:
        c()
    except TypeError:
        print("TypeError")
