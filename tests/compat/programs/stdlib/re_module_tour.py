import re

text = "Call 555-1234 or 555-9876; fax 555-0000."
print(re.findall(r"\d{3}-\d{4}", text))
print(re.search(r"fax (\S+)", text).group(1))
print(re.match(r"Call", text) is not None, re.match(r"fax", text))
print(re.sub(r"\d", "#", text, count=4))
print(re.split(r"\s*[;,]\s*", "a ; b,c , d"))
print(re.fullmatch(r"[a-z]+", "hello") is not None, re.fullmatch(r"[a-z]+", "hello1"))
print([m.span() for m in re.finditer(r"5{3}", text)])
print(re.escape("a.b*c"))
