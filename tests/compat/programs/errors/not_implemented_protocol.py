class Celsius:
    def __init__(self, deg):
        self.deg = deg

    def __add__(self, other):
        if isinstance(other, Celsius):
            return Celsius(self.deg + other.deg)
        if isinstance(other, (int, float)):
            return Celsius(self.deg + other)
        return NotImplemented

    __radd__ = __add__

    def __repr__(self):
        return f"{self.deg}C"


print(Celsius(10) + Celsius(5), Celsius(10) + 2, 3 + Celsius(1))
try:
    Celsius(1) + "x"
except TypeError:
    print("TypeError for str")
print(sum([Celsius(1), Celsius(2)], Celsius(0)))
