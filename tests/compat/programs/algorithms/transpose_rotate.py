grid = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]

transposed = [list(row) for row in zip(*grid)]
rotated = [list(row)[::-1] for row in zip(*grid)]
flipped = grid[::-1]

for name, m in [("transposed", transposed), ("rotated", rotated), ("flipped", flipped)]:
    print(name)
    for row in m:
        print("  " + " ".join(f"{v:2d}" for v in row))
