names = ["ann", "ben", "cid"]
scores = [88, 92, 79]
grades = ["B", "A", "C"]
table = list(zip(names, scores, grades))
print(table)
n, s, g = zip(*table)
print(n, s, g)
print(dict(zip(names, scores)))
print(list(zip("abcd", range(2))))
for i, (name, score) in enumerate(zip(names, scores), start=1):
    print(i, name, score)
