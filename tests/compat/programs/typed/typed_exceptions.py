class AppError(Exception):
    def __init__(self, message: str, code: int = 500) -> None:
        super().__init__(message)
        self.code = code


class NotFound(AppError):
    def __init__(self, resource: str) -> None:
        super().__init__(f"{resource} not found", 404)


def load(name: str) -> dict[str, str]:
    if name != "ok":
        raise NotFound(name)
    return {"name": name}


for n in ["ok", "missing"]:
    try:
        print(load(n))
    except AppError as e:
        print(e.code, e, e.args)
