orders = [
    {"id": 1, "customer": "acme", "lines": [{"sku": "A", "qty": 2, "price": 9.5}, {"sku": "B", "qty": 1, "price": 20}]},
    {"id": 2, "customer": "globex", "lines": [{"sku": "A", "qty": 10, "price": 9.0}]},
    {"id": 3, "customer": "acme", "lines": []},
]
totals = {o["id"]: sum(l["qty"] * l["price"] for l in o["lines"]) for o in orders}
print(totals)
per_customer = {}
for o in orders:
    per_customer[o["customer"]] = per_customer.get(o["customer"], 0) + totals[o["id"]]
print(per_customer)
print(sum(l["qty"] for o in orders for l in o["lines"] if l["sku"] == "A"))
