import math


def min_coins(coins: list[int], amount: int) -> int:
    dp = [0] + [math.inf] * amount
    for a in range(1, amount + 1):
        for c in coins:
            if c <= a and dp[a - c] + 1 < dp[a]:
                dp[a] = dp[a - c] + 1
    return -1 if dp[amount] == math.inf else int(dp[amount])


def ways(coins: list[int], amount: int) -> int:
    dp = [1] + [0] * amount
    for c in coins:
        for a in range(c, amount + 1):
            dp[a] += dp[a - c]
    return dp[amount]


print(min_coins([1, 5, 10, 25], 63), ways([1, 5, 10, 25], 63))
print(min_coins([2], 3), ways([2], 3))
