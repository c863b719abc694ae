class DisjointSet:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.rank = [0] * n

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if self.rank[ra] < self.rank[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        if self.rank[ra] == self.rank[rb]:
            self.rank[ra] += 1
        return True


ds = DisjointSet(10)
edges = [(0, 1), (2, 3), (1, 2), (5, 6), (7, 8), (8, 9), (3, 0)]
redundant = [e for e in edges if not ds.union(*e)]
groups = {}
for i in range(10):
    groups.setdefault(ds.find(i), []).append(i)
print("redundant:", redundant)
print("components:", sorted(groups.values()))
