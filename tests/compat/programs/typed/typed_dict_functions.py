from typing import Dict, List

Inventory = Dict[str, int]


def restock(inv: Inventory, items: List[str], amount: int = 10) -> Inventory:
    updated = dict(inv)
    for item in items:
        updated[item] = updated.get(item, 0) + amount
    return updated


base: Inventory = {"screws": 5}
print(restock(base, ["screws", "nails"]))
print(base)
