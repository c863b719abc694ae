import calendar

first_weekday, days = calendar.monthrange(2024, 2)
print(calendar.isleap(2024), calendar.isleap(1900), int(first_weekday), days)
print(calendar.month(2024, 2))
print(sum(calendar.monthrange(2023, m)[1] for m in range(1, 13)))
