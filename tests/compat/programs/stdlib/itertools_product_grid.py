import itertools

sizes = ["S", "M"]
colors = ["red", "blue"]
for combo in itertools.product(sizes, colors):
    print("-".join(combo))
print(list(itertools.accumulate([3, 1, 4, 1, 5], max)))
print(list(itertools.islice(itertools.count(0, 0.5), 4)))
