import json

data = {"name": "Zoë", "values": [1, 2.5, None], "ok": False, "nested": {"k": "v"}}
print(json.dumps(data))
print(json.dumps(data, ensure_ascii=False))
print(json.dumps(data, indent=2))
print(json.dumps([1, 2], separators=(",", ":")))
print(json.dumps("quote\" and \\ backslash\n"))
