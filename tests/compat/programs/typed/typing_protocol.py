from typing import Protocol


class Greeter(Protocol):
    def greet(self, name: str) -> str: ...


class English:
    def greet(self, name: str) -> str:
        return f"Hello, {name}"


class French:
    def greet(self, name: str) -> str:
        return f"Bonjour, {name}"


def welcome(g: Greeter, who: str) -> None:
    print(g.greet(who))


for g in (English(), French()):
    welcome(g, "Ada")
