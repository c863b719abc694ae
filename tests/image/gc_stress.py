# GC stress program: many allocations across deep call chains while the
# collector runs before every allocation, then every object is verified.
# A GC that misses roots held in wasm locals frees live objects here: the
# program then prints wrong values, fails an assertion, or traps.
import gc

gc.threshold(1)


def build(depth, tag):
    if depth == 0:
        return [tag, str(tag), (tag, tag + 1), {"k": tag}, b"%d" % tag]
    left = build(depth - 1, tag * 2)
    right = build(depth - 1, tag * 2 + 1)
    return [left, right, depth, "d%d" % depth]


def check(node, depth, tag):
    if depth == 0:
        assert node == [tag, str(tag), (tag, tag + 1), {"k": tag}, b"%d" % tag], (node, tag)
        return 1
    assert node[2] == depth and node[3] == "d%d" % depth, node[2:]
    return check(node[0], depth - 1, tag * 2) + check(node[1], depth - 1, tag * 2 + 1)


def chain(n, acc):
    # A deep chain of frames, each holding fresh objects across the next call.
    if n == 0:
        return acc
    item = [n, str(n) * 2]
    result = chain(n - 1, acc + [item])
    assert item == [n, str(n) * 2], item
    return result


leaves = 0
for round in range(3):
    tree = build(5, 1)
    leaves += check(tree, 5, 1)
strings = ["%dx" % i for i in range(120)]
assert strings == [str(i) + "x" for i in range(120)]
table = {i: [i] * 2 for i in range(120)}
assert all(table[i] == [i, i] for i in range(120))
chained = chain(40, [])
assert [c[0] for c in chained] == list(range(40, 0, -1))
print("gc-ok", leaves)
