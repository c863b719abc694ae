import json

payload = """
{"users": [
  {"id": 1, "name": "Ann", "roles": ["admin", "dev"], "active": true},
  {"id": 2, "name": "Bo", "roles": ["dev"], "active": false},
  {"id": 3, "name": "Cy", "roles": [], "active": true}
]}
"""
data = json.loads(payload)
active = [u["name"] for u in data["users"] if u["active"]]
print(active)
roles = sorted({r for u in data["users"] for r in u["roles"]})
print(roles)
print(json.dumps({u["name"]: len(u["roles"]) for u in data["users"]}))
