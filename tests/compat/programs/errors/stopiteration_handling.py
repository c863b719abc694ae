it = iter([1, 2])
print(next(it), next(it))
try:
    next(it)
except StopIteration:
    print("exhausted")
print(next(iter([]), "default"))
