class Matrix:
    def __init__(self, rows):
        self.rows = [list(r) for r in rows]

    def __matmul__(self, other):
        cols = list(zip(*other.rows))
        return Matrix([[sum(a * b for a, b in zip(r, c)) for c in cols] for r in self.rows])

    def __eq__(self, other):
        return self.rows == other.rows

    def __repr__(self):
        return "Matrix(" + repr(self.rows) + ")"


a = Matrix([[1, 2], [3, 4]])
i = Matrix([[1, 0], [0, 1]])
print(a @ i, a @ a, a @ i == a)
