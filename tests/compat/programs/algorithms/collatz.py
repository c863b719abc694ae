def collatz_length(n, cache={1: 1}):
    if n in cache:
        return cache[n]
    nxt = n // 2 if n % 2 == 0 else 3 * n + 1
    cache[n] = 1 + collatz_length(nxt)
    return cache[n]


best = max(range(1, 1000), key=collatz_length)
print(best, collatz_length(best))
print([collatz_length(i) for i in range(1, 11)])
