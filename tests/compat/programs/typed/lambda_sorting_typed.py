from typing import Callable

Op = Callable[[float, float], float]
OPS: dict[str, Op] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}


def rpn(expr: str) -> float:
    stack: list[float] = []
    for tok in expr.split():
        if tok in OPS:
            b, a = stack.pop(), stack.pop()
            stack.append(OPS[tok](a, b))
        else:
            stack.append(float(tok))
    return stack[0]


print(rpn("3 4 + 2 *"), rpn("5 1 2 + 4 * + 3 -"), rpn("10 4 /"))
