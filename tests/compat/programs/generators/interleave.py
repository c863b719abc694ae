def interleave(*iterables):
    iterators = [iter(it) for it in iterables]
    while iterators:
        for it in list(iterators):
            try:
                yield next(it)
            except StopIteration:
                iterators.remove(it)


print(list(interleave("abc", [1, 2], "XYZW")))
print("".join(interleave("hlo", "el")))
