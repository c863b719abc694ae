class FloatRange:
    def __init__(self, start: float, stop: float, step: float) -> None:
        self.start, self.stop, self.step = start, stop, step

    def __iter__(self):
        x = self.start
        i = 0
        while x < self.stop:
            yield round(x, 10)
            i += 1
            x = self.start + i * self.step

    def __reversed__(self):
        return reversed(list(self))


r = FloatRange(0, 1, 0.25)
print(list(r), list(reversed(r)))
print([round(v, 2) for v in FloatRange(0, 0.5, 0.1)])
