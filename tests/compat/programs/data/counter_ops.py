from collections import Counter

inventory = Counter(apples=5, pears=3, plums=0)
order = Counter(apples=2, pears=4, kiwis=1)
print(inventory + order)
print(inventory - order)
print((inventory & order), (inventory | order))
inventory.update(["apples", "kiwis", "kiwis"])
print(inventory.most_common(2))
print(sum(inventory.values()), inventory["bananas"])
print(sorted(inventory.elements())[:6])
