principal = 10_000
rate = 0.05
for years in (1, 5, 10, 30):
    amount = principal * (1 + rate / 12) ** (12 * years)
    print(f"{years:>2} years: ${amount:,.2f}")
