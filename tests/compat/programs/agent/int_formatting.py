n = 48879
print(f"{n:x} {n:X} {n:#x} {n:o} {n:b} {n:#b}")
print(f"{n:08d} {n:+d} {n:,} {n:_} {-n:>10} {n:^10}|")
print(format(n, "x"), format(255, "08b"), "{:>6}".format(42), "{0}{1}{0}".format("a", "b"))
print("%d items at %.2f each = %8.3f" % (3, 1.5, 4.5), "%5s|%-5s|" % ("r", "l"), "%x %o %c" % (255, 8, 65))
