def is_prime(n):
    return n > 1 and all(n % d for d in range(2, int(n ** 0.5) + 1))


print([n for n in range(50) if is_prime(n)])
print(is_prime(7919), is_prime(7917), sum(1 for n in range(10000) if is_prime(n)))
