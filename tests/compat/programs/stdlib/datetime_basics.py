from datetime import date, datetime, timedelta

d = date(2024, 2, 28)
print(d, d + timedelta(days=1), d + timedelta(days=2))
print(d.isoformat(), d.weekday(), d.strftime("%d/%m/%Y"))
dt = datetime(2024, 3, 10, 14, 30, 0)
print(dt, dt.isoformat(), dt.strftime("%Y-%m-%d %H:%M"))
delta = datetime(2024, 12, 25) - datetime(2024, 1, 1)
print(delta.days, delta.total_seconds())
print(datetime.fromisoformat("2024-05-17T08:15:00") + timedelta(hours=20))
print(date(2024, 1, 1) < date(2024, 6, 1), (date(2025, 1, 1) - date(2024, 1, 1)).days)
