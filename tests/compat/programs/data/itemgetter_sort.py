from operator import itemgetter, attrgetter

rows = [("b", 2, 9.5), ("a", 2, 3.0), ("c", 1, 7.25)]
print(sorted(rows, key=itemgetter(1, 0)))
print(list(map(itemgetter(0), rows)))


class P:
    def __init__(self, name, score):
        self.name, self.score = name, score

    def __repr__(self):
        return f"P({self.name!r}, {self.score})"


print(sorted([P("x", 3), P("y", 1), P("z", 2)], key=attrgetter("score")))
