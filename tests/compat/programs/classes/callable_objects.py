class Multiplier:
    def __init__(self, factor: int) -> None:
        self.factor = factor
        self.calls = 0

    def __call__(self, x: int) -> int:
        self.calls += 1
        return x * self.factor


triple = Multiplier(3)
print(list(map(triple, [1, 2, 3])), triple.calls, callable(triple), callable(3))


class Counter:
    count = 0

    def __init__(self):
        Counter.count += 1
        self.id = Counter.count


objs = [Counter() for _ in range(3)]
print([o.id for o in objs], Counter.count)
