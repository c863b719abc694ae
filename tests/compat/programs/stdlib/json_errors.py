import json

for text in ['{"a": 1}', "{bad json}", "[1, 2,]", '"ok"', "", "nan"]:
    try:
        print(repr(text), "->", json.loads(text))
    except ValueError:
        print(repr(text), "-> invalid")
