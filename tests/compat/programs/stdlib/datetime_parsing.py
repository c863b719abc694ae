from datetime import datetime

stamps = ["2024-01-15 09:30", "2024-01-15 17:05", "2024-01-16 08:00"]
parsed = [datetime.strptime(s, "%Y-%m-%d %H:%M") for s in stamps]
for a, b in zip(parsed, parsed[1:]):
    hours = (b - a).total_seconds() / 3600
    print(f"{a:%H:%M} -> {b:%a %H:%M}: {hours:.2f} h")
print(max(parsed).strftime("%B %d, %Y"))
