from collections import defaultdict
from typing import Callable


class EventBus:
    def __init__(self) -> None:
        self._handlers: dict[str, list[Callable[..., None]]] = defaultdict(list)

    def on(self, event: str):
        def decorator(fn):
            self._handlers[event].append(fn)
            return fn
        return decorator

    def emit(self, event: str, **payload) -> int:
        for handler in self._handlers.get(event, []):
            handler(**payload)
        return len(self._handlers.get(event, []))


bus = EventBus()


@bus.on("signup")
def welcome(user: str) -> None:
    print(f"welcome, {user}")


@bus.on("signup")
def audit(user: str) -> None:
    print(f"audit: {user} signed up")


print(bus.emit("signup", user="ada"), bus.emit("logout", user="ada"))
