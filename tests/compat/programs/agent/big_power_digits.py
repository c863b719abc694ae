n = 2 ** 1000
print(len(str(n)), sum(int(d) for d in str(n)))
print(str(n)[:20])
