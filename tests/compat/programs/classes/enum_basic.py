from enum import Enum, auto


class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3


class Status(Enum):
    PENDING = auto()
    DONE = auto()


print(Color.RED, Color.RED.name, Color.RED.value)
print(Color(2), Color["BLUE"])
print([c.name for c in Color])
print(Status.DONE.value, Status.PENDING is Status.PENDING)
print(Color.RED == Color.RED, Color.RED == 1)
