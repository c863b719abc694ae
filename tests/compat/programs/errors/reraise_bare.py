def process(items):
    done = []
    for item in items:
        try:
            done.append(10 // item)
        except ZeroDivisionError:
            print("logging failure for", item)
            raise
    return done


print(process([1, 2, 5]))
process([3, 0, 1])
