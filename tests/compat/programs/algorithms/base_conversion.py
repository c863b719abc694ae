DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def to_base(n: int, base: int) -> str:
    if n == 0:
        return "0"
    sign = "-" if n < 0 else ""
    n = abs(n)
    out = []
    while n:
        n, r = divmod(n, base)
        out.append(DIGITS[r])
    return sign + "".join(reversed(out))


for n in [0, 255, -255, 2 ** 64, 123456789]:
    print(n, to_base(n, 2)[-16:], to_base(n, 16), to_base(n, 36))
    assert int(to_base(n, 36), 36) == n
print(hex(255), oct(8), bin(5), int("ff", 16), int("0b101", 0))
