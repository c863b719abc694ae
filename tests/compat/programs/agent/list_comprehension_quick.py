squares = [x * x for x in range(10)]
evens = [x for x in squares if x % 2 == 0]
pairs = [(x, y) for x in range(3) for y in range(3) if x != y]
print(squares)
print(evens)
print(pairs)
print({x: x ** 3 for x in range(5)})
print({c for c in "mississippi"} == set("misp"))
