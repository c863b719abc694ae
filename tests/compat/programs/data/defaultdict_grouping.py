from collections import defaultdict

pets = [("dog", "Rex"), ("cat", "Tom"), ("dog", "Fido"), ("bird", "Tweety"), ("cat", "Felix")]
by_kind = defaultdict(list)
for kind, name in pets:
    by_kind[kind].append(name)
print(dict(by_kind))
print(by_kind["fish"])
print(sorted(by_kind))
