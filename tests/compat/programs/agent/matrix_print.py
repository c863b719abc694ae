m = [[i * j for j in range(1, 6)] for i in range(1, 6)]
for row in m:
    print(" ".join(f"{v:3}" for v in row))
print("trace:", sum(m[i][i] for i in range(5)))
