from itertools import accumulate

deposits = [100, -20, 50, -70, 10]
print(list(accumulate(deposits)))
print(list(accumulate(deposits, max)))
print(list(accumulate([1, 2, 3, 4], lambda a, b: a * b)))
balance = 0
history = []
for d in deposits:
    balance += d
    history.append(balance)
print(history, min(history))
