import string

vocab = {"cold", "cord", "card", "ward", "warm", "word", "worm", "corm", "wore"}


def neighbors(word: str) -> list[str]:
    out = []
    for i in range(len(word)):
        for c in string.ascii_lowercase:
            cand = word[:i] + c + word[i + 1:]
            if cand != word and cand in vocab:
                out.append(cand)
    return sorted(out)


for w in sorted(vocab):
    print(w, neighbors(w))
