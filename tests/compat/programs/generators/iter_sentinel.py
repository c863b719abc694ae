import io

stream = io.StringIO("chunk1chunk2chunk3!")
pieces = list(iter(lambda: stream.read(6), ""))
print(pieces)
values = iter([3, 1, 0, 4])
print(list(iter(lambda: next(values), 0)))
