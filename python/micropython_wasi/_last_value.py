"""The value of a program's last expression (Result.value), as the REPL shows it.

The host rewrites the source before the run: a final expression statement
`EXPR` becomes `__mpw_value__ = (EXPR)` in place, on the same lines, so line
numbers in tracebacks do not change and nothing is printed. After a run that
completed, a second small run (fetch_source()) takes the value out of the
guest's globals and writes its repr, which the Sandbox reads as that run's
output, never the program's.

The rewrite uses CPython's parser for positions only: source it cannot parse
(MicroPython-only syntax) runs unchanged, without a value.
"""

from __future__ import annotations

import ast

NAME = "__mpw_value__"
VALUE_LIMIT = 100_000
"""Characters of a value's repr that are kept (a longer one is cut and ends in '...')."""
MAX_SOURCE = 1024 * 1024
"""Longer sources are not parsed by the host (no value): parsing costs the host, outside the limits."""


def rewrite(source: str) -> str | None:
    """`source` with its final expression statement assigned to NAME, or None if it has none."""
    if len(source) > MAX_SOURCE:
        return None
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return None
    node = tree.body[-1]  # (the statement: its span includes enclosing parentheses)
    end_line, end_col = node.end_lineno, node.end_col_offset
    if end_line is None or end_col is None:
        return None
    # Positions are 1-based lines and UTF-8 byte columns.
    lines = source.encode("utf-8", "surrogatepass").splitlines(keepends=True)
    first, last = node.lineno - 1, end_line - 1
    if last >= len(lines):
        return None
    head = lines[first][:node.col_offset]
    if first == last:
        lines[first] = head + b"%s = (" % NAME.encode() + lines[first][node.col_offset:end_col] + b")" + \
            lines[first][end_col:]
    else:
        lines[first] = head + b"%s = (" % NAME.encode() + lines[first][node.col_offset:]
        lines[last] = lines[last][:end_col] + b")" + lines[last][end_col:]
    return b"".join(lines).decode("utf-8", "surrogatepass")


def fetch_source(limit: int) -> str:
    """Guest code that removes NAME from the globals and prints 'N' (None) or 'R' + its repr (cut to limit)."""
    return (f"(lambda v: print('N' if v is None else 'R' + (lambda r: r if len(r) <= {limit} else "
            f"r[:{limit}] + '...')(repr(v)), end=''))(globals().pop('{NAME}', None))\n")


def parse_fetched(output: str) -> str | None:
    """The value from fetch_source()'s output (None for None, or an unexpected output)."""
    return output[1:] if output.startswith("R") else None
