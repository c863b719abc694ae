from itertools import groupby

data = "aaabccddddde"
print([(k, len(list(g))) for k, g in groupby(data)])
people = [("eng", "ann"), ("eng", "bob"), ("ops", "cid"), ("eng", "dan")]
for dept, members in groupby(sorted(people), key=lambda p: p[0]):
    print(dept, [m[1] for m in members])
