from collections import deque

temps = [21, 23, 22, 25, 27, 26, 24, 20, 19, 23]
window = deque(maxlen=3)
averages = []
for t in temps:
    window.append(t)
    if len(window) == 3:
        averages.append(round(sum(window) / 3, 2))
print(averages)
print([temps[i:i + 3] for i in range(len(temps) - 2)][:3])
print(max(range(len(temps) - 2), key=lambda i: sum(temps[i:i + 3])))
