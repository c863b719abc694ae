memo = {0: 0, 1: 1}


def fib(n):
    if n not in memo:
        memo[n] = fib(n - 1) + fib(n - 2)
    return memo[n]


print(fib(100))
print(len(memo))
print(sum(fib(i) for i in range(50)) % 1000007)
