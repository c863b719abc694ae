from functools import cache, partial, reduce, wraps
import operator

print(reduce(operator.mul, range(1, 6)))
print(reduce(lambda acc, x: acc + [x * 2], [1, 2, 3], []))
base2 = partial(int, base=2)
print(base2("1011"), base2.keywords)


def logged(fn):
    @wraps(fn)
    def wrapper(*args, **kwargs):
        print(f"calling {fn.__name__}{args}")
        return fn(*args, **kwargs)
    return wrapper


@logged
def add(a, b):
    """Add two numbers."""
    return a + b


print(add(2, 3), add.__name__, add.__doc__)


@cache
def ways(n):
    return 1 if n <= 1 else ways(n - 1) + ways(n - 2)


print(ways(60))
