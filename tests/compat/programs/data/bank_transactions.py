transactions = [
    ("2024-01-03", "deposit", 500.0),
    ("2024-01-05", "withdraw", 120.5),
    ("2024-01-09", "withdraw", 600.0),
    ("2024-01-10", "deposit", 75.25),
    ("2024-01-15", "fee", 2.5),
]
balance = 0.0
rejected = []
for date, kind, amount in transactions:
    if kind == "deposit":
        balance += amount
    elif amount <= balance:
        balance -= amount
    else:
        rejected.append((date, amount))
    print(f"{date} {kind:<8} {amount:>8.2f} {balance:>9.2f}")
print("rejected:", rejected)
