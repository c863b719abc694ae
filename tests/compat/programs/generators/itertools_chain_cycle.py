from itertools import chain, cycle, repeat, islice, zip_longest

print(list(chain([1, 2], (3, 4), "ab")))
print(list(chain.from_iterable([[1], [2, 3], []])))
print(list(islice(cycle("RGB"), 7)))
print(list(repeat("x", 3)))
print(list(zip_longest("abc", [1, 2], fillvalue="-")))
