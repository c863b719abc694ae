import operator

print(operator.add(2, 3), operator.mul(4, 5), operator.neg(3), operator.truediv(7, 2))
print(operator.itemgetter(1)([10, 20, 30]), operator.itemgetter("a", "b")({"a": 1, "b": 2}))
print(operator.attrgetter("real")(3 + 4j))
print(operator.methodcaller("upper")("abc"), operator.contains([1, 2], 2))
print(sorted([(1, "b"), (0, "a")], key=operator.itemgetter(1)))
