rows = [
    ("2024-Q1", "north", 100), ("2024-Q1", "south", 80),
    ("2024-Q2", "north", 130), ("2024-Q2", "south", 95),
    ("2024-Q3", "north", 90), ("2024-Q3", "east", 40),
]
quarters = sorted({q for q, _, _ in rows})
regions = sorted({r for _, r, _ in rows})
pivot = {q: {r: 0 for r in regions} for q in quarters}
for q, r, v in rows:
    pivot[q][r] += v
print("quarter  " + "".join(f"{r:>7}" for r in regions) + "  total")
for q in quarters:
    print(f"{q:9}" + "".join(f"{pivot[q][r]:>7}" for r in regions) + f"{sum(pivot[q].values()):>7}")
