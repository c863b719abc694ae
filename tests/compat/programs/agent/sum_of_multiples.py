print(sum(x for x in range(1000) if x % 3 == 0 or x % 5 == 0))
print(sum(range(1, 101)) ** 2 - sum(x * x for x in range(1, 101)))
print(max(a * b for a in range(10, 100) for b in range(a, 100) if str(a * b) == str(a * b)[::-1]))
