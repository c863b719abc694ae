print(True + True, True * 3, bool(""), bool("0"), bool([]), bool([0]))
print(None or "default", 0 or [] or "last", 1 and 2, 0 and 1)
print(all([]), any([]), not None, 3 > 2 > 1, 1 < 2 > 3)
print(isinstance(True, int), True == 1, hash(True) == hash(1))
