def mean(xs):
    assert xs, "empty input"
    return sum(xs) / len(xs)


print(mean([1, 2, 3]))
try:
    mean([])
except AssertionError as e:
    print("AssertionError:", e)
assert 1 + 1 == 3, "math is broken"
