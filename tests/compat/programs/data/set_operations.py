python_devs = {"ann", "bob", "cat", "dan"}
rust_devs = {"cat", "dan", "eve"}
go_devs = {"bob", "eve", "fay"}
print(sorted(python_devs & rust_devs))
print(sorted(python_devs | rust_devs | go_devs))
print(sorted(python_devs - rust_devs))
print(sorted(python_devs ^ go_devs))
print(rust_devs.isdisjoint({"zed"}), {"ann"} <= python_devs, python_devs.issuperset({"bob", "cat"}))
frozen = frozenset(["x", "y"])
print(len({frozen, frozenset(["y", "x"])}))
