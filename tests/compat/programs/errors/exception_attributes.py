try:
    raise ValueError("bad", 42)
except ValueError as e:
    print(e.args, str(e), repr(e))

e = OSError(2, "No such file")
print(e.errno, e.strerror, isinstance(e, Exception))
print(issubclass(KeyError, LookupError), issubclass(ZeroDivisionError, ArithmeticError))
print(issubclass(FileNotFoundError, OSError), issubclass(TimeoutError, OSError))
