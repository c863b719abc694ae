Matrix = list[list[int]]


def matmul(a: Matrix, b: Matrix) -> Matrix:
    return [[sum(x * y for x, y in zip(row, col)) for col in zip(*b)] for row in a]


def identity(n: int) -> Matrix:
    return [[int(i == j) for j in range(n)] for i in range(n)]


def mat_pow(m: Matrix, k: int) -> Matrix:
    result = identity(len(m))
    while k:
        if k & 1:
            result = matmul(result, m)
        m = matmul(m, m)
        k >>= 1
    return result


print(matmul([[1, 2], [3, 4]], [[5, 6], [7, 8]]))
print("fib(50) via matrix:", mat_pow([[1, 1], [1, 0]], 50)[0][1])
