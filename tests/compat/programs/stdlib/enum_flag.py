from enum import Flag, auto


class Perm(Flag):
    READ = auto()
    WRITE = auto()
    EXEC = auto()


rw = Perm.READ | Perm.WRITE
print(Perm.READ in rw, Perm.EXEC in rw, rw.value)
print(bool(rw & Perm.EXEC))
