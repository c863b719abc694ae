r = range(5, 50, 7)
print(r, list(r), len(r), r[2], r[-1], 33 in r, 34 in r)
print(r.start, r.stop, r.step, r.index(19), range(0)[:])
print(list(range(10, 0, -3)), range(3) == range(0, 3))
