d = {"a": 1}
try:
    d["b"]
except KeyError as e:
    print("KeyError:", e, repr(e), e.args)
try:
    [][0]
except IndexError as e:
    print("IndexError:", e)
try:
    int("12x")
except ValueError as e:
    print("ValueError:", e)
