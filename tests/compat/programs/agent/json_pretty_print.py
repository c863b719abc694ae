import json
result = {"status": "ok", "items": [{"id": 1, "score": 0.93}, {"id": 2, "score": 0.71}], "count": 2}
print(json.dumps(result, indent=4))
