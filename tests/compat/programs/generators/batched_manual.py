def batched(iterable, n):
    batch = []
    for item in iterable:
        batch.append(item)
        if len(batch) == n:
            yield tuple(batch)
            batch = []
    if batch:
        yield tuple(batch)


print(list(batched(range(10), 4)))
print(list(batched("abcdefg", 3)))
print(list(batched([], 2)))
