names = ["x", "y", "z"]
for i, n in enumerate(names, 1):
    print(i, n)
print(list(reversed(names)), list(reversed(range(4))))
print(list(enumerate(reversed("abc"))))
print(list(zip(range(3), reversed(names))))
it = iter([1, 2, 3])
print(next(it), list(it), next(it, None))
print(list(map(lambda a, b: a * b, [1, 2, 3], [4, 5, 6])))
