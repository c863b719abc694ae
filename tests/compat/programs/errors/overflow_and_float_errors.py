import math

try:
    math.sqrt(-1)
except ValueError as e:
    print("ValueError")
try:
    print(float("inf") - float("inf"))
except Exception as e:
    print(type(e).__name__)
print(math.isnan(float("nan")), math.isinf(1e308 * 10))
try:
    math.log(0)
except ValueError:
    print("log domain error")
try:
    print(2.0 ** 10000)
except OverflowError:
    print("OverflowError")
print(10 ** 50 // 7)
