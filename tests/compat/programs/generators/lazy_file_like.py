import io

buffer = io.StringIO("alpha\nbeta\n\ngamma\ndelta\n")


def grep(lines, word):
    for number, line in enumerate(lines, 1):
        if word in line:
            yield number, line.rstrip("\n")


print(list(grep(buffer, "a")))
buffer.seek(0)
print(sum(1 for _ in buffer))
