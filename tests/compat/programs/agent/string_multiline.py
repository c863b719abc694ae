report = f"""Summary
-------
items: {3}
total: {19.5:.2f}
"""
print(report)
lines = report.strip().split("\n")
print(len(lines), lines[-1])
print("\t".join(["a", "b"]), "x\\y", r"raw\n")
