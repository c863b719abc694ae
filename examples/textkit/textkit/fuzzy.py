"""Fuzzy matching by edit distance.

Uses the editdistance C module when the image has it (see
examples/editdistance), and plain Python otherwise.
"""

try:
    from editdistance import distance

    ACCELERATED = True
except ImportError:
    ACCELERATED = False

    def distance(a, b):
        """Levenshtein distance between two strings."""
        prev = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            row = [i]
            for j, cb in enumerate(b, 1):
                row.append(min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb)))
            prev = row
        return prev[-1]


def closest(word, candidates, n=1):
    """The n candidates nearest to word (fewest edits first, ties in input order)."""
    ranked = sorted(enumerate(candidates), key=lambda item: (distance(word, item[1]), item[0]))
    return [candidate for _, candidate in ranked[:n]]
