class Temperature:
    def __init__(self, c):
        self.c = c

    @property
    def f(self):
        return self.c * 9 / 5 + 32


temps = [Temperature(c) for c in (0, 37, 100)]
print([t.f for t in temps])
print(Temperature(25).__dict__)
