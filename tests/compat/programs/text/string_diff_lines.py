old = """apple
banana
cherry
date""".splitlines()
new = """apple
blueberry
cherry
date
elderberry""".splitlines()

removed = [l for l in old if l not in new]
added = [l for l in new if l not in old]
for l in removed:
    print(f"- {l}")
for l in added:
    print(f"+ {l}")
print(f"{len(set(old) & set(new))} lines in common")
