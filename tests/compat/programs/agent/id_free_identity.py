a = [1, 2]
b = a
c = [1, 2]
print(a is b, a is c, a == c)
x = None
print(x is None, x == None)
s1 = "".join(["ab", "c"])
print(s1 == "abc")
