grades = {
    "alice": [90, 85, 77],
    "bob": [60, 75, 80],
    "carol": [95, 98, 100],
    "dave": [],
}
for name, marks in grades.items():
    if not marks:
        print(f"{name}: no grades")
        continue
    avg = sum(marks) / len(marks)
    letter = "A" if avg >= 90 else "B" if avg >= 80 else "C" if avg >= 70 else "D"
    print(f"{name}: avg={avg:.2f} best={max(marks)} letter={letter}")
ranked = sorted((n for n in grades if grades[n]), key=lambda n: -sum(grades[n]) / len(grades[n]))
print(ranked)
