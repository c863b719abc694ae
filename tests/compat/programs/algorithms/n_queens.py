def solve_n_queens(n: int) -> list[list[int]]:
    solutions = []
    cols, diag1, diag2 = set(), set(), set()
    placement = []

    def place(row: int) -> None:
        if row == n:
            solutions.append(placement.copy())
            return
        for c in range(n):
            if c in cols or row - c in diag1 or row + c in diag2:
                continue
            cols.add(c); diag1.add(row - c); diag2.add(row + c)
            placement.append(c)
            place(row + 1)
            placement.pop()
            cols.discard(c); diag1.discard(row - c); diag2.discard(row + c)

    place(0)
    return solutions


for n in range(4, 9):
    print(n, len(solve_n_queens(n)))
first = solve_n_queens(6)[0]
for c in first:
    print("".join("Q" if i == c else "." for i in range(6)))
