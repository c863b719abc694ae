import re

data = [3, 8, 12, 5, 20]
if (n := len(data)) > 3:
    print(f"list is long ({n} elements)")
print([y for x in data if (y := x * 2) > 10])
text = "order 66 and order 99"
while (m := re.search(r"\d+", text)):
    print("found", m.group())
    text = text[m.end():]
