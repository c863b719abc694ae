from contextlib import contextmanager


@contextmanager
def tag(name):
    print(f"<{name}>")
    try:
        yield name.upper()
    except ValueError as e:
        print(f"handled {e}")
    finally:
        print(f"</{name}>")


with tag("div") as t:
    print("content", t)
with tag("p"):
    raise ValueError("oops")
print("after")
