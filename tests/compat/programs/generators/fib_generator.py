def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


gen = fib()
print([next(gen) for _ in range(12)])
for i, f in enumerate(fib()):
    if f > 1000:
        print("first fib over 1000:", i, f)
        break
