sales = [
    {"region": "north", "product": "widget", "amount": 120},
    {"region": "south", "product": "gadget", "amount": 80},
    {"region": "north", "product": "gadget", "amount": 45},
    {"region": "east", "product": "widget", "amount": 200},
    {"region": "south", "product": "widget", "amount": 60},
]

totals: dict[str, int] = {}
for sale in sales:
    totals[sale["region"]] = totals.get(sale["region"], 0) + sale["amount"]
print(totals)
print(max(totals, key=totals.get))
