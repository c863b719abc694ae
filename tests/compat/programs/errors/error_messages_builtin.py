tests = {
    "int('abc')": lambda: int("abc"),
    "1/0": lambda: 1 / 0,
    "[].pop()": lambda: [].pop(),
    "{}.popitem()": lambda: {}.popitem(),
    "'abc'.index('z')": lambda: "abc".index("z"),
    "float('x')": lambda: float("x"),
}
for label, fn in tests.items():
    try:
        fn()
    except Exception as e:
        print(f"{label}: {type(e).__name__}: {e}")
