items = ["apple", "banana", "cherry"]
print(*items, sep=", ")
print("no newline", end="")
print(" <- continued")
print("a", "b", "c", sep="")
print(*range(5))
print()
print("done")
