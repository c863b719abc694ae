from collections import Counter

TEXT = """It was the best of times, it was the worst of times, it was the age of
wisdom, it was the age of foolishness, it was the epoch of belief, it was the
epoch of incredulity, it was the season of Light, it was the season of Darkness"""

words = [w.strip(".,").lower() for w in TEXT.split()]
counts = Counter(words)
for word, n in counts.most_common(5):
    print(f"{word:<10}{n:>3}")
print("distinct:", len(counts))
