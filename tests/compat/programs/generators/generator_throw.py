def resilient():
    count = 0
    while True:
        try:
            yield count
            count += 1
        except ValueError as e:
            print("recovered from", e)
            count = 100


g = resilient()
print(next(g), next(g))
print(g.throw(ValueError("bad")))
print(next(g))
