records = [
    {"city": "Tokyo", "pop": 37_400_068, "country": "Japan"},
    {"city": "Delhi", "pop": 28_514_000, "country": "India"},
    {"city": "Shanghai", "pop": 25_582_000, "country": "China"},
]
cols = ["city", "country", "pop"]
width = {c: max(len(c), *(len(f"{r[c]:,}" if c == "pop" else str(r[c])) for r in records)) for c in cols}
print(" | ".join(c.upper().ljust(width[c]) for c in cols))
print("-+-".join("-" * width[c] for c in cols))
for r in records:
    print(" | ".join((f"{r[c]:,}".rjust(width[c]) if c == "pop" else str(r[c]).ljust(width[c])) for c in cols))
