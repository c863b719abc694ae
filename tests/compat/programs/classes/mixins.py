import json


class JsonMixin:
    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)


class ReprMixin:
    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"{type(self).__name__}({fields})"


class User(JsonMixin, ReprMixin):
    def __init__(self, name: str, email: str) -> None:
        self.name = name
        self.email = email


u = User("ann", "ann@example.com")
print(u)
print(u.to_json())
print([c.__name__ for c in User.__mro__])
