class DetailedError(Exception):
    def __init__(self, code, detail):
        self.code = code
        self.detail = detail
        super().__init__(code, detail)

    def __str__(self):
        return f"[{self.code}] {self.detail}"


try:
    raise DetailedError(418, "I'm a teapot")
except DetailedError as e:
    print(str(e))
    print(e.args)
print(repr(ValueError("x")), repr(KeyError("k")), str(KeyError("k")))
