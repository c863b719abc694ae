from collections import deque


def windows(iterable, size):
    window = deque(maxlen=size)
    for item in iterable:
        window.append(item)
        if len(window) == size:
            yield tuple(window)


print(list(windows(range(6), 3)))
print(["".join(w) for w in windows("hello", 2)])
