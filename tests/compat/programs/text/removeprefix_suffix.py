files = ["test_api.py", "test_models.py", "helpers.py", "test_views.py.bak"]
for f in files:
    name = f.removesuffix(".py").removeprefix("test_")
    print(f"{f:20} -> {name}")
print("prefix_value".removeprefix("nope"))
