from collections import deque

d = deque([1, 2, 3, 4, 5])
d.rotate(2)
print(list(d))
d.rotate(-3)
print(list(d))
d.appendleft(0)
d.extend([6, 7])
print(d.popleft(), d.pop(), list(d), len(d))
players = deque(["a", "b", "c", "d"])
order = []
while len(players) > 1:
    players.rotate(-2)
    order.append(players.pop())
print(order, players[0])
