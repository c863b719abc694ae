def unique_everseen(iterable, key=None):
    seen = set()
    for element in iterable:
        k = element if key is None else key(element)
        if k not in seen:
            seen.add(k)
            yield element


print(list(unique_everseen("AAAABBBCCDAABBB")))
print(list(unique_everseen("ABBcCAD", str.lower)))
