PAIRS = {")": "(", "]": "[", "}": "{"}


def balanced(expr: str) -> bool:
    stack: list[str] = []
    for ch in expr:
        if ch in "([{":
            stack.append(ch)
        elif ch in PAIRS:
            if not stack or stack.pop() != PAIRS[ch]:
                return False
    return not stack


tests = ["()", "([]{})", "(]", "((())", "{[()()]}", "", "a(b)c[d]"]
print({t: balanced(t) for t in tests})
