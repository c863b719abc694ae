from abc import ABC, abstractmethod


class Animal(ABC):
    def __init__(self, name: str) -> None:
        self.name = name

    @abstractmethod
    def sound(self) -> str: ...

    def speak(self) -> str:
        return f"{self.name} says {self.sound()}"


class Dog(Animal):
    def sound(self) -> str:
        return "woof"


print(Dog("Rex").speak())
try:
    Animal("generic")
except TypeError:
    print("cannot instantiate abstract class")
