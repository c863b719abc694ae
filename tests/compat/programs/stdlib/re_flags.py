import re

text = """First line
second LINE
Third Line"""
print(re.findall(r"^\w+", text, re.MULTILINE))
print(re.findall(r"line", text, re.IGNORECASE))
print(re.findall(r"line.second", text, re.DOTALL | re.IGNORECASE))
pattern = re.compile(r"""
    (\d{4})   # year
    -(\d{2})  # month
""", re.VERBOSE)
print(pattern.findall("2024-01 and 1999-12"))
