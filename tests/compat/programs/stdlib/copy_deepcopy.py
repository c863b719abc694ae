import copy

original = {"a": [1, 2], "b": {"c": [3]}}
shallow = copy.copy(original)
deep = copy.deepcopy(original)
original["a"].append(99)
original["b"]["c"].append(100)
print(shallow)
print(deep)


class Box:
    def __init__(self, items):
        self.items = items


b = Box([1])
b2 = copy.deepcopy(b)
b2.items.append(2)
print(b.items, b2.items)
