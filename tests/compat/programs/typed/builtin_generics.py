def index_words(text: str) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for pos, word in enumerate(text.lower().split()):
        index.setdefault(word, []).append(pos)
    return index


def pairs(items: list[int]) -> list[tuple[int, int]]:
    return [(a, b) for i, a in enumerate(items) for b in items[i + 1:]]


print(index_words("the cat and the hat and the bat"))
print(pairs([1, 2, 3]))
