class Temperature:
    def __init__(self, celsius: float) -> None:
        self.celsius = celsius

    @classmethod
    def from_fahrenheit(cls, f: float) -> "Temperature":
        return cls((f - 32) * 5 / 9)

    @staticmethod
    def is_freezing(celsius: float) -> bool:
        return celsius <= 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.celsius:.1f}C)"


class Reading(Temperature):
    pass


print(Temperature.from_fahrenheit(212))
print(Reading.from_fahrenheit(32))
print(Temperature.is_freezing(-3), Temperature(5).is_freezing(5))
