from contextlib import suppress
import os

with suppress(FileNotFoundError):
    os.remove("/definitely/not/here.txt")
    print("not reached")
print("continued")

with suppress(KeyError, IndexError):
    [][1]
print("done")
