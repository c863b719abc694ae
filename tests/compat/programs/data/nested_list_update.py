board = [["."] * 4 for _ in range(3)]
board[1][2] = "X"
board[0][0] = "O"
for row in board:
    print("".join(row))
wrong = [["."] * 3] * 2
wrong[0][0] = "!"
print(wrong)
copy = [row[:] for row in board]
copy[1][2] = "?"
print(board[1][2], copy[1][2])
