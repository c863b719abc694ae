import difflib

a = "the quick brown fox".split()
b = "the quick red fox jumps".split()
for line in difflib.unified_diff(a, b, lineterm="", n=0):
    print(line)
print(round(difflib.SequenceMatcher(None, "kitten", "sitting").ratio(), 3))
print(difflib.get_close_matches("appel", ["ape", "apple", "peach", "puppy"]))
