tree = {"value": 1, "children": [
    {"value": 2, "children": [{"value": 4, "children": []}]},
    {"value": 3, "children": [{"value": 5, "children": []}, {"value": 6, "children": []}]},
]}


def walk(node, depth=0):
    yield depth, node["value"]
    for child in node["children"]:
        yield from walk(child, depth + 1)


for depth, value in walk(tree):
    print("  " * depth + str(value))
print(max(d for d, _ in walk(tree)))
