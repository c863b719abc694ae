s = "  the sky   is blue  "
print(repr(" ".join(reversed(s.split()))))
print(repr(" ".join(w[::-1] for w in s.split())))
print(repr(s.strip()[::-1]))
print("madam"[::-1] == "madam")
