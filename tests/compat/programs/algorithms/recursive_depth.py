def total(values: list[int]) -> int:
    """Sum a list recursively, the textbook way."""
    if not values:
        return 0
    return values[0] + total(values[1:])


def depth(tree: dict) -> int:
    return 1 + max((depth(child) for child in tree.get("children", [])), default=0)


print(total(list(range(400))))
chain: dict = {}
node = chain
for _ in range(300):
    node["children"] = [{}]
    node = node["children"][0]
print(depth(chain))
