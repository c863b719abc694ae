try:
    try:
        {}["missing"]
    except KeyError:
        raise RuntimeError("lookup failed")
except RuntimeError as e:
    print(e, type(e.__context__).__name__)

try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("suppressed") from None
except ValueError as e:
    print(e, e.__cause__, e.__suppress_context__)
