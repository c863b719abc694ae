text = "mississippi river"
hist: dict[str, int] = {}
for ch in text:
    if ch != " ":
        hist[ch] = hist.get(ch, 0) + 1
for ch, n in sorted(hist.items(), key=lambda kv: (-kv[1], kv[0])):
    print(f"{ch} {'#' * n} {n}")
