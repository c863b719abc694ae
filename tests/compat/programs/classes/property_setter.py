class Person:
    def __init__(self, first: str, last: str, age: int) -> None:
        self.first = first
        self.last = last
        self.age = age

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"

    @full_name.setter
    def full_name(self, value: str) -> None:
        self.first, self.last = value.split(" ", 1)

    @property
    def age(self) -> int:
        return self._age

    @age.setter
    def age(self, value: int) -> None:
        if not 0 <= value <= 150:
            raise ValueError(f"invalid age: {value}")
        self._age = value


p = Person("Grace", "Hopper", 85)
p.full_name = "Ada Lovelace"
print(p.first, p.last, p.full_name, p.age)
try:
    p.age = 200
except ValueError as e:
    print(e)
