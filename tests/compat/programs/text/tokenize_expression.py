import re

TOKEN = re.compile(r"\s*(?:(\d+\.?\d*)|(.))")


def tokenize(expr: str) -> list[tuple[str, str]]:
    tokens = []
    for number, op in TOKEN.findall(expr):
        if number:
            tokens.append(("NUM", number))
        elif op.strip():
            tokens.append(("OP", op))
    return tokens


print(tokenize("3 + 4.5 * (2 - 1)"))
print(tokenize("10/2"))
