import json

record = {
    "id": 42,
    "name": "Widget",
    "tags": ["a", "b"],
    "price": 9.99,
    "in_stock": True,
    "supplier": None,
    "dims": {"w": 10, "h": 2.5},
}
text = json.dumps(record)
print(text)
back = json.loads(text)
print(back == record, type(back["dims"]["h"]).__name__)
print(json.dumps(record, sort_keys=True, indent=2))
