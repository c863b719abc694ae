def worker(items):
    processed = 0
    for item in items:
        yield item.upper()
        processed += 1
    return processed


def delegate(items):
    count = yield from worker(items)
    yield f"processed {count}"


print(list(delegate(["a", "b", "c"])))
g = worker(["x"])
print(next(g))
try:
    next(g)
except StopIteration as stop:
    print("returned", stop.value)
