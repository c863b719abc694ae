events = []


def f():
    try:
        events.append("try")
        return "from try"
    finally:
        events.append("finally")


def g():
    for i in range(3):
        try:
            if i == 1:
                continue
            events.append(f"body {i}")
        finally:
            events.append(f"finally {i}")
    return "done"


print(f(), g())
print(events)
