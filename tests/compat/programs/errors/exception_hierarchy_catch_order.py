def classify(exc):
    try:
        raise exc
    except FileNotFoundError:
        return "file not found"
    except OSError:
        return "os error"
    except LookupError:
        return "lookup"
    except ArithmeticError:
        return "arithmetic"
    except Exception:
        return "generic"


for e in [FileNotFoundError(), PermissionError(), KeyError("k"), IndexError(), OverflowError(), ZeroDivisionError(), RuntimeError()]:
    print(type(e).__name__, "->", classify(e))
