methods = [m for m in dir(str) if not m.startswith("_")]
print(len(methods) > 30)
print(sorted(m for m in dir([]) if not m.startswith("_")))
