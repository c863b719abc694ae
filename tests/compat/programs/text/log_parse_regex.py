import re

LOG = """2024-03-01 12:00:01 INFO  server started on port 8080
2024-03-01 12:00:05 WARN  disk usage at 85%
2024-03-01 12:01:10 ERROR connection refused: db01
2024-03-01 12:02:00 INFO  request GET /api/users 200
2024-03-01 12:02:03 ERROR timeout after 30s: db02
"""

pattern = re.compile(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) (\w+)\s+(.*)$")
levels = {}
errors = []
for line in LOG.splitlines():
    m = pattern.match(line)
    if not m:
        continue
    date, time, level, msg = m.groups()
    levels[level] = levels.get(level, 0) + 1
    if level == "ERROR":
        errors.append((time, msg))
print(levels)
for t, msg in errors:
    print(t, "->", msg)
