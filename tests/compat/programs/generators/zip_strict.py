names = ["a", "b", "c"]
values = [1, 2]
print(list(zip(names, values)))
try:
    list(zip(names, values, strict=True))
except ValueError as e:
    print("mismatch:", e)
print(list(zip(names, [1, 2, 3], strict=True)))
