a = {3, 1, 2}
print(sorted(a), len(a), 2 in a)
print(set(), frozenset())
print({1})
print(sorted({"b", "a"} | {"c"}))
