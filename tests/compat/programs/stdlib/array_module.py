from array import array

a = array("i", [1, 2, 3])
a.append(4)
a.extend([5, 6])
print(a, a[2], len(a), sum(a))
f = array("d", [0.5, 1.5])
print(f.tolist(), f.itemsize)
b = array("B", b"hi")
print(bytes(b), b[0])
