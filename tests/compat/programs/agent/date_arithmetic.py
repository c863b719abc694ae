from datetime import date, timedelta
start = date(2024, 1, 31)
print(start + timedelta(days=30), (date(2024, 12, 31) - start).days)
print([(start + timedelta(weeks=i)).isoformat() for i in range(3)])
print(start.strftime("%A"), date(2024, 2, 29).timetuple().tm_yday)
