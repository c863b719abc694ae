data = [12, 45, 7, 23, 56, 89, 34, 12, 67]
n = len(data)
mean = sum(data) / n
var = sum((x - mean) ** 2 for x in data) / (n - 1)
s = sorted(data)
median = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
print(f"n={n} mean={mean:.3f} sd={var ** 0.5:.3f} median={median} min={s[0]} max={s[-1]}")
