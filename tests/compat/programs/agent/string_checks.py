s = "Hello, World! 123"
print(len(s), s.upper(), s.lower(), s[::-1])
print(sum(c.isdigit() for c in s), sum(c.isupper() for c in s), s.split(", "))
print(s.find("World"), s.replace("World", "There"), s.count("l"))
