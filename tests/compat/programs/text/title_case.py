SMALL = {"a", "an", "the", "of", "in", "on", "and", "or", "to"}


def smart_title(s: str) -> str:
    words = s.lower().split()
    return " ".join(w if i and w in SMALL else w.capitalize() for i, w in enumerate(words))


for s in ["the lord of the rings", "a tale OF two cities", "war and peace"]:
    print(smart_title(s), "|", s.title())
