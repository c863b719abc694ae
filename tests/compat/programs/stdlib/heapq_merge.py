import heapq

a = [1, 4, 9]
b = [2, 3, 10]
c = [0, 5]
print(list(heapq.merge(a, b, c)))
h = [5, 2, 8, 1]
heapq.heapify(h)
print(h[0], heapq.heappushpop(h, 3), heapq.heapreplace(h, 0), sorted(h))
tasks = []
for prio, name in [(3, "low"), (1, "urgent"), (2, "normal")]:
    heapq.heappush(tasks, (prio, name))
print([heapq.heappop(tasks)[1] for _ in range(3)])
