"""Render rows as an aligned plain-text table."""


def table(rows, sep=" | "):
    """Rows (sequences of values) as lines of left-aligned columns."""
    rows = [[str(value) for value in row] for row in rows]
    ncols = max((len(row) for row in rows), default=0)
    widths = [max((len(row[c]) for row in rows if c < len(row)), default=0) for c in range(ncols)]
    lines = []
    for row in rows:
        cells = [row[c] if c < len(row) else "" for c in range(ncols)]
        lines.append(sep.join(cell + " " * (widths[c] - len(cell)) for c, cell in enumerate(cells)).rstrip())
    return "\n".join(lines)


def offsets(widths, sep=" | "):
    """Column start offsets for the given widths.

    Uses itertools.accumulate, which the standard image's itertools has.
    """
    from itertools import accumulate

    return [0] + list(accumulate(w + len(sep) for w in widths))[:-1]
