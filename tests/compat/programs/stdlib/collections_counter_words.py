from collections import Counter
import re

text = "It is what it is, and what it is is fine."
words = re.findall(r"[a-z']+", text.lower())
counts = Counter(words)
print(counts.most_common(3))
print(counts.total() if hasattr(counts, "total") else sum(counts.values()))
print(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:4])
