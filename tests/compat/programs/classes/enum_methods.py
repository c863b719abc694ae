from enum import Enum, IntEnum


class Planet(Enum):
    MERCURY = (3.303e23, 2.4397e6)
    EARTH = (5.976e24, 6.37814e6)

    def __init__(self, mass, radius):
        self.mass = mass
        self.radius = radius

    @property
    def surface_gravity(self) -> float:
        return 6.673e-11 * self.mass / (self.radius * self.radius)


class Priority(IntEnum):
    LOW = 1
    HIGH = 3


for p in Planet:
    print(p.name, round(p.surface_gravity, 2))
print(Priority.HIGH > Priority.LOW, Priority.HIGH + 1, sorted([Priority.HIGH, Priority.LOW]))
