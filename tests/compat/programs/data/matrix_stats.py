table = [
    [3, 7, 2, 9],
    [4, 1, 8, 6],
    [5, 5, 5, 5],
]
row_sums = [sum(r) for r in table]
col_sums = [sum(c) for c in zip(*table)]
print("rows:", row_sums)
print("cols:", col_sums)
print("max cell:", max(max(r) for r in table))
print("diag:", [table[i][i] for i in range(min(len(table), len(table[0])))])
print("normalized:", [[round(v / s, 2) for v in r] for r, s in zip(table, row_sums)])
