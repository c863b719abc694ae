sentence = "The quick brown fox jumps over the lazy dog"
vowels = "aeiou"
counts = {v: sentence.lower().count(v) for v in vowels}
print(counts)
print("total vowels:", sum(counts.values()))
print("consonants:", sum(1 for c in sentence.lower() if c.isalpha() and c not in vowels))
print("pangram:", set("abcdefghijklmnopqrstuvwxyz") <= set(sentence.lower()))
