try:
    {"a": 1}["b"]
except Exception as e:
    print(type(e).__name__, e.args, isinstance(e, LookupError))
    print(type(e).__mro__[1].__name__)
