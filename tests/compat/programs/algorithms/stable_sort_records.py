records = [
    ("alice", "eng", 85),
    ("bob", "ops", 92),
    ("carol", "eng", 92),
    ("dave", "ops", 85),
    ("erin", "eng", 70),
    ("frank", "sales", 92),
]

by_score = sorted(records, key=lambda r: r[2], reverse=True)
print([r[0] for r in by_score])
by_dept_then_score = sorted(sorted(records, key=lambda r: -r[2]), key=lambda r: r[1])
for name, dept, score in by_dept_then_score:
    print(f"{dept:6} {name:6} {score}")
