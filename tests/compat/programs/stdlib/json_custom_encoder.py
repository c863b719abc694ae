import json


class Money:
    def __init__(self, amount, currency):
        self.amount, self.currency = amount, currency


def encode(obj):
    if isinstance(obj, Money):
        return {"amount": obj.amount, "currency": obj.currency}
    if isinstance(obj, set):
        return sorted(obj)
    raise TypeError(f"cannot serialize {type(obj).__name__}")


print(json.dumps({"price": Money(5, "EUR"), "tags": {"b", "a"}}, default=encode))
try:
    json.dumps({"x": object()}, default=encode)
except TypeError as e:
    print("TypeError:", e)
