a = {"x": 1, "y": 2, "z": 3}
b = {"y": 20, "w": 40}
print(sorted(a.keys() & b.keys()))
print(sorted(a.keys() - b.keys()))
print(sorted(a.keys() | b.keys()))
print(("x", 1) in a.items())
keys = a.keys()
a["q"] = 9
print(len(keys), list(keys))
print(sorted(a.items(), key=lambda kv: kv[1], reverse=True))
