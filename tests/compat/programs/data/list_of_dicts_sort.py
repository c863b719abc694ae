people = [
    {"name": "Zoe", "age": 29, "dept": "R&D"},
    {"name": "Adam", "age": 41, "dept": "Sales"},
    {"name": "Maya", "age": 29, "dept": "Ops"},
    {"name": "Liam", "age": 35, "dept": "R&D"},
]
for p in sorted(people, key=lambda p: (p["age"], p["name"])):
    print(f"{p['name']:<6}{p['age']:>3}  {p['dept']}")
oldest = max(people, key=lambda p: p["age"])
print("oldest:", oldest["name"])
print("avg age:", sum(p["age"] for p in people) / len(people))
