log = []


def resource():
    log.append("open")
    try:
        for i in range(10):
            yield i
    finally:
        log.append("close")


g = resource()
print(next(g), next(g))
g.close()
print(log)
for x in resource():
    if x == 2:
        break
print(log)
