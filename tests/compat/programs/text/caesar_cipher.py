def caesar(text: str, shift: int) -> str:
    out = []
    for ch in text:
        if ch.isupper():
            out.append(chr((ord(ch) - 65 + shift) % 26 + 65))
        elif ch.islower():
            out.append(chr((ord(ch) - 97 + shift) % 26 + 97))
        else:
            out.append(ch)
    return "".join(out)


msg = "Attack at Dawn! Meet at the Old Bridge."
enc = caesar(msg, 13)
print(enc)
print(caesar(enc, -13) == msg)
