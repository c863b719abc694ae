calls = []


def noisy(x):
    calls.append(x)
    return x * 10


gen = (noisy(x) for x in range(5))
print(calls)
print(next(gen), calls)
print(list(gen), calls)
mapped = map(noisy, [7, 8])
print(calls[-1], list(mapped), calls[-2:])
