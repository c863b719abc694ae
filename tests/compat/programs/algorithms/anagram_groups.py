from collections import defaultdict

words = ["eat", "tea", "tan", "ate", "nat", "bat", "tab", "listen", "silent", "enlist"]
groups = defaultdict(list)
for w in words:
    groups["".join(sorted(w))].append(w)

for key in sorted(groups):
    print(key, groups[key])
print(max(groups.values(), key=len))
