def snake_to_camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def camel_to_snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i:
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


for n in ["user_id", "http_response_code", "x"]:
    c = snake_to_camel(n)
    print(n, "->", c, "->", camel_to_snake(c))
