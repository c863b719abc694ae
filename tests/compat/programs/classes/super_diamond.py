class Base:
    def greet(self):
        return ["Base"]


class Left(Base):
    def greet(self):
        return ["Left"] + super().greet()


class Right(Base):
    def greet(self):
        return ["Right"] + super().greet()


class Child(Left, Right):
    def greet(self):
        return ["Child"] + super().greet()


print(Child().greet())
print([k.__name__ for k in Child.__mro__])
