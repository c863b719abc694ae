import re

template = "Hello {name}, you owe {amount} to {creditor}."
values = {"name": "Ada", "amount": "$12.50", "creditor": "Bob"}
print(re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template))

snake = re.sub(r"(?<!^)(?=[A-Z])", "_", "parseHTTPResponseCode").lower()
print(snake)
print(re.sub(r"(\d+)", lambda m: str(int(m.group(1)) * 2), "a1 b22 c333"))
print(re.split(r"[,;]\s*", "a, b;c ,d"))
