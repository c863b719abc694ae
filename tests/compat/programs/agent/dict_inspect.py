d = {"name": "ada", "langs": ["py", "c"], "age": 36}
print(d)
print(list(d), list(d.items())[0], len(d))
print({k: type(v).__name__ for k, v in d.items()})
print("age" in d, d.get("missing"), d.get("missing", "?"))
