values = ["1", "2", "three", "4"]


def safe_int(s, default=0):
    try:
        return int(s)
    except ValueError:
        return default


print([safe_int(v) for v in values])
try:
    print([int(v) for v in values])
except ValueError as e:
    print("failed:", e)
