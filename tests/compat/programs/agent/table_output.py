rows = [("alice", 93.5, 12), ("bob", 78.25, 3), ("charlotte", 88.0, 40)]
header = f"{'name':<10}{'score':>8}{'n':>5}"
print(header)
print("=" * len(header))
for name, score, n in rows:
    print(f"{name:<10}{score:>8.1f}{n:>5d}")
print(f"{'total':<10}{sum(r[1] for r in rows):>8.1f}{sum(r[2] for r in rows):>5d}")
