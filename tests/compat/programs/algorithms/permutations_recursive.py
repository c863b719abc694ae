def permutations(items):
    if len(items) <= 1:
        return [items[:]]
    out = []
    for i, x in enumerate(items):
        for rest in permutations(items[:i] + items[i + 1:]):
            out.append([x] + rest)
    return out


perms = permutations([1, 2, 3])
print(len(perms))
for p in perms:
    print(p)
print(len(permutations(list("abcde"))))
