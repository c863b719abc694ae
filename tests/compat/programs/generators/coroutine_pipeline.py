def printer(prefix):
    while True:
        item = yield
        print(prefix, item)


def filter_even(target):
    while True:
        item = yield
        if item % 2 == 0:
            target.send(item)


sink = printer(">>")
next(sink)
pipe = filter_even(sink)
next(pipe)
for n in range(7):
    pipe.send(n)
