import time

start = time.monotonic()
total = sum(range(10000))
elapsed = time.monotonic() - start
print(total, elapsed >= 0)
print(isinstance(time.time(), float))
t = time.gmtime(0)
print(t[0], t[1], t[2])
