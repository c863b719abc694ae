from bisect import bisect_left, bisect_right, insort

scores = sorted([55, 70, 70, 82, 90, 95])
for s in (70, 85, 100, 40):
    rank = len(scores) - bisect_right(scores, s)
    print(f"{s}: {rank} better, first>= at {bisect_left(scores, s)}")
insort(scores, 71)
print(scores)
