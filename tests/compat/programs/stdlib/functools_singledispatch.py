from functools import singledispatch


@singledispatch
def render(value) -> str:
    return f"<{type(value).__name__}>"


@render.register
def _(value: int) -> str:
    return f"int:{value}"


@render.register(list)
def _(value) -> str:
    return "[" + ", ".join(render(v) for v in value) + "]"


print(render(5), render([1, "a", [2]]), render(2.5))
