from itertools import count, islice


def squares():
    for n in count(1):
        yield n * n


print(list(islice(squares(), 5)))
print(list(islice(squares(), 2, 8, 2)))
print(list(islice("abcdefg", 3)))
