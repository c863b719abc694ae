text = """Python is a programming language that lets you work quickly
and integrate systems more effectively. Python is fun."""
words = text.lower().replace(".", "").split()
print(len(words), len(set(words)))
freq = {}
for w in words:
    freq[w] = freq.get(w, 0) + 1
print(sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
