"""The GC's multi-block search hint (ports/wasi/patches/0020-gc-multi-block-hint.patch).

A search for two or more free blocks starts at a second hint, below which
no run of two free blocks may start; every path that frees blocks must
lower it. If one does not, the allocator skips the hole it made and takes
fresh memory instead: the heap grows, or a program that fits fails with
MemoryError. The hole-reuse programs below fill the heap with the collector
off, make two-block holes low in it, one path at a time, and then need
exactly those holes for two-block objects (complex numbers). Checked
2026-12-01 with three images whose patch leaves out one of the lowering in
gc_free, the lowering in gc_realloc's shrink and the reset in the sweep:
each fails the program of its own path (2, 2 and 3 of 200 objects fitted,
then MemoryError). Without the patch (no second hint) they pass too, but
the filling takes 10-25 s instead of a fraction of a second.

The integrity programs allocate objects of mixed sizes, free some, grow and
shrink lists, and check that every live value is intact, also with
gc.threshold(0) (a collection before every allocation).
"""

from __future__ import annotations

import textwrap

import pytest

import micropython_wasi

# Fill the heap with the collector off until no two-block object fits any
# more (it can grow only up to the Sandbox's memory limit), keeping them in a
# list made beforehand: then no two adjacent blocks are free. Afterwards the
# programs allocate nothing but what they test (while loops on small ints,
# preallocated lists, method calls on lists): any other allocation could take
# a hole. At the end they drop the filling and collect, so that printing has
# room.
FILL = """
import gc

def fill(c, store):
    i = 0
    try:
        while i < len(store):
            store[i] = c * c
            i += 1
    except MemoryError:
        pass
    assert i < len(store)
"""

HOLE_REUSE = {
    # gc_realloc shrinking in place: list.pop halves a list's item array once
    # the list is under half full, 16 items (4 blocks) to 8, freeing 2 blocks.
    "shrinking realloc": """
        def main(n):
            lists = [[0] * 16 for _ in range(n)]
            out = [None] * n
            c = complex(1.5, -0.5)
            store = [None] * STORE
            gc.collect()
            gc.disable()
            fill(c, store)
            k = 0
            try:
                while k < n:
                    s = lists[k]
                    j = 0
                    while j < 9:
                        s.pop()
                        j += 1
                    out[k] = c * c
                    k += 1
            except MemoryError:
                pass
            store = None
            gc.enable()
            gc.collect()
            print(k, n, len(lists[0]), out[0] == out[n - 1] == c * c)
    """,
    # gc_free: appending to a full list of 8 items moves its item array (2
    # blocks) to a 4-block one, made free just before by shrinking another
    # list from 32 items to 16, and frees the old array: the complex number
    # needs that 2-block hole.
    "free": """
        def main(n):
            pairs = [([0] * 8, [0] * 32) for _ in range(n)]
            out = [None] * n
            c = complex(1.5, -0.5)
            store = [None] * STORE
            gc.collect()
            gc.disable()
            fill(c, store)
            k = 0
            try:
                while k < n:
                    small, big = pairs[k]
                    j = 0
                    while j < 17:
                        big.pop()
                        j += 1
                    small.append(1)
                    out[k] = c * c
                    k += 1
            except MemoryError:
                pass
            store = None
            gc.enable()
            gc.collect()
            print(k, n, len(pairs[0][0]), out[0] == out[n - 1] == c * c)
    """,
    # the sweep: objects made before the heap filled up are dropped and
    # collected; new ones must fit where they were. (A few more are dropped
    # than are needed: the collector is conservative, and a stale word on the
    # stack may keep one alive.)
    "sweep": """
        def main(n):
            held = [complex(i, i) for i in range(n + 50)]
            c = complex(1.5, -0.5)
            store = [None] * STORE
            gc.collect()
            gc.disable()
            fill(c, store)
            k = 0
            while k < n + 50:
                held[k] = None
                k += 1
            gc.collect()
            k = 0
            try:
                while k < n:
                    held[k] = c * c
                    k += 1
            except MemoryError:
                pass
            store = None
            gc.enable()
            gc.collect()
            print(k, n, 1, held[0] == held[n - 1] == c * c)
    """,
}

N_HOLES = 200
# Enough list items for every two-block object that fits in MEMORY_LIMIT.
MEMORY_LIMIT = 4 * 1024 * 1024
STORE = MEMORY_LIMIT // 32


@pytest.mark.parametrize("path", sorted(HOLE_REUSE))
def test_two_block_holes_below_the_hint_are_reused(path: str) -> None:
    source = FILL + f"STORE = {STORE}\n" + textwrap.dedent(HOLE_REUSE[path]) + f"main({N_HOLES})\n"
    with micropython_wasi.Sandbox(memory_limit=MEMORY_LIMIT, timeout=60) as box:
        out = box.run(source).stdout.split()
    placed, wanted, length, intact = out
    assert (placed, intact) == (wanted, "True"), (
        f"after {path}, only {placed} of {wanted} two-block objects fitted in the freed holes")
    assert length in ("7", "9", "1")


# Objects of 1 to about 40 blocks; some are dropped (the sweep frees them),
# lists grow (realloc moves them: gc_free) and shrink (realloc in place).
MIXED = """
import gc

seed = 12345

def rnd(n):
    global seed
    seed = (seed * 1103 + 4721) % 1048573
    return seed % n

def make(kind, i):
    if kind == 0:
        return complex(i, -i)
    if kind == 1:
        return (i, i + 1, i + 2)
    if kind == 2:
        return [i] * (i % 13)
    if kind == 3:
        return 'x%d' % i * (1 + i % 5)
    if kind == 4:
        return bytes(j & 255 for j in range(i % 150))
    if kind == 5:
        return {i: i * 2, -i: str(i)}
    return i + 0.25

def run(steps, slots):
    table = [None] * slots
    grown = [None] * slots
    for step in range(steps):
        k = rnd(slots)
        entry = table[k]
        if entry is not None:
            kind, i, obj = entry
            assert obj == make(kind, i), (kind, i, obj)
            if rnd(3) == 0:
                table[k] = None
        else:
            kind = rnd(7)
            table[k] = (kind, step, make(kind, step))
        g = grown[k]
        if g is None:
            grown[k] = [k]
        elif rnd(2) and len(g) < 64:
            g.append(k)
        elif g:
            g.pop()
    live = 0
    for k in range(slots):
        if table[k] is not None:
            kind, i, obj = table[k]
            assert obj == make(kind, i), (kind, i, obj)
            live += 1
        g = grown[k]
        assert g is None or g == [k] * len(g)
    return live
"""


def test_mixed_sizes_stay_intact() -> None:
    with micropython_wasi.Sandbox(timeout=60) as box:
        box.run(MIXED)
        result = box.run("print(run(20000, 500) > 0)\ngc.collect()\nprint(run(5000, 200) > 0)")
    assert result.stdout.split() == ["True", "True"]


def test_mixed_sizes_stay_intact_collecting_before_every_allocation() -> None:
    with micropython_wasi.Sandbox(timeout=120) as box:
        box.run(MIXED)
        box.run("gc.threshold(0)")
        result = box.run("print(run(1500, 100) > 0)")
    assert result.stdout.split() == ["True"]
