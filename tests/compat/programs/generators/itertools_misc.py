from itertools import compress, dropwhile, filterfalse, starmap, takewhile, tee, pairwise

nums = [1, 4, 6, 3, 8, 2, 9]
print(list(takewhile(lambda x: x < 5, nums)))
print(list(dropwhile(lambda x: x < 5, nums)))
print(list(filterfalse(lambda x: x % 2, nums)))
print(list(compress("ABCDEF", [1, 0, 1, 0, 1, 1])))
print(list(starmap(pow, [(2, 5), (3, 2)])))
a, b = tee(nums)
print(list(a)[:2], list(b)[-2:])
print(list(pairwise([1, 2, 4, 7])))
