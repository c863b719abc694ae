rows = [("Product", "Qty", "Price"), ("Apple", 3, 0.5), ("Watermelon", 1, 3.25), ("Fig", 12, 0.2)]
widths = [max(len(str(r[i])) for r in rows) for i in range(3)]
for i, (name, qty, price) in enumerate(rows):
    if i == 0:
        print(f"{name:<{widths[0]}} | {qty:>{widths[1]}} | {price:>6}")
        print("-" * (widths[0] + widths[1] + 12))
    else:
        print(f"{name:<{widths[0]}} | {qty:>{widths[1]}} | {price:>6.2f}")
