def gen():
    yield 1
    yield 2


g = gen()
print(type(g).__name__)
print(hasattr(g, "__next__"), hasattr(g, "send"), iter(g) is g)
print(list(g), list(g))
