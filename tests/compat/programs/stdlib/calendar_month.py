import calendar

print(calendar.isleap(2024), calendar.isleap(1900), calendar.monthrange(2024, 2))
print(calendar.month(2024, 2))
