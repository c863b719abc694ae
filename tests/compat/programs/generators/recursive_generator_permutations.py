def perms(seq):
    if not seq:
        yield ()
        return
    for i in range(len(seq)):
        for rest in perms(seq[:i] + seq[i + 1:]):
            yield (seq[i],) + rest


print(list(perms((1, 2, 3))))
print(sum(1 for _ in perms(tuple(range(6)))))
