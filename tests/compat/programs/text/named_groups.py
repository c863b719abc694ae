import re

pattern = re.compile(r"(?P<key>\w+)\s*=\s*(?P<value>[^;]+)")
config = "host = localhost; port=5432 ;user= admin; debug = true"
settings = {m.group("key"): m.group("value").strip() for m in pattern.finditer(config)}
print(settings)
m = pattern.search(config)
print(m.groupdict())
print(m.start(), m.end(), m.span("value"))
