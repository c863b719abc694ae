import bisect

grades = "FDCBA"
breakpoints = [60, 70, 80, 90]


def grade(score: int) -> str:
    return grades[bisect.bisect(breakpoints, score)]


print([grade(s) for s in [33, 99, 77, 70, 89, 90, 100]])

ordered: list[int] = []
for x in [5, 1, 4, 1, 5, 9, 2, 6]:
    bisect.insort(ordered, x)
print(ordered)
print(bisect.bisect_left(ordered, 5), bisect.bisect_right(ordered, 5))
