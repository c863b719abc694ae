print(sorted(m for m in dir(dict) if not m.startswith("_")))
print(callable(dict.get), dict.fromkeys("ab", 0))
