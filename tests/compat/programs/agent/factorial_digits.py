import math
f = math.factorial(100)
print(sum(map(int, str(f))), len(str(f)), str(f).rstrip("0") != str(f))
