items = ["b", "a", "c", "a", "b", "d", "c", "e"]
seen = set()
unique = [x for x in items if not (x in seen or seen.add(x))]
print(unique)
print(list(dict.fromkeys(items)))
records = [{"id": 3}, {"id": 1}, {"id": 3}, {"id": 2}, {"id": 1}]
by_id = {r["id"]: r for r in records}
print(list(by_id.values()))
