def power_set(items):
    result = [[]]
    for item in items:
        result += [subset + [item] for subset in result]
    return result


subsets = power_set(["a", "b", "c"])
print(len(subsets))
print(sorted(subsets, key=lambda s: (len(s), s)))
print(sum(1 for s in power_set(list(range(10))) if sum(s) == 15))
