from functools import total_ordering


@total_ordering
class Money:
    def __init__(self, cents: int) -> None:
        self.cents = cents

    def __eq__(self, other):
        return self.cents == other.cents

    def __lt__(self, other):
        return self.cents < other.cents

    def __repr__(self):
        return f"${self.cents / 100:.2f}"


a, b = Money(150), Money(99)
print(a > b, a >= b, a <= b, a != b)
print(sorted([Money(500), a, b]))
