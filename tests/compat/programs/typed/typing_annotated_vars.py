count: int = 0
names: list[str] = []
lookup: dict[str, tuple[int, ...]] = {}
for word in ["a", "bb", "a"]:
    count += 1
    names.append(word)
    lookup[word] = lookup.get(word, ()) + (count,)
print(count, names, lookup)
maybe: "int | None"
print("maybe" in globals())
