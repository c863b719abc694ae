def cumulative(iterable):
    total = 0
    for x in iterable:
        total += x
        yield total


def take_until(iterable, limit):
    for x in iterable:
        if x > limit:
            return
        yield x


print(list(cumulative(range(1, 11))))
print(list(take_until(cumulative(range(1, 100)), 50)))
