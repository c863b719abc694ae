from itertools import count

for value, label in zip(count(10, 5), ["a", "b", "c"]):
    print(label, value)
c = count(1)
print(next(c), next(c), next(c))
evens = (n for n in count() if n % 2 == 0)
print([next(evens) for _ in range(5)])
