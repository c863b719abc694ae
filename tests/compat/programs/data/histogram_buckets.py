ages = [23, 35, 41, 19, 52, 67, 33, 29, 44, 58, 61, 37, 25, 31]
buckets = {}
for age in ages:
    lo = age // 10 * 10
    buckets.setdefault(f"{lo}-{lo + 9}", []).append(age)
for label in sorted(buckets):
    print(f"{label:>6}: {'*' * len(buckets[label])} {sorted(buckets[label])}")
