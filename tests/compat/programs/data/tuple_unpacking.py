point = (3, 4)
x, y = point
first, *middle, last = [1, 2, 3, 4, 5]
print(x, y, first, middle, last)
(a, b), c = (1, 2), 3
print(a, b, c)
head, *tail = "hello"
print(head, tail)
records = [("ann", 31, "NYC"), ("ben", 27, "LA")]
for name, age, _ in records:
    print(f"{name} is {age}")
a, b = b, a
print(a, b)
