"""heapq: the built-in heapq plus CPython's nlargest, nsmallest and merge.

heappush, heappop and heapify come from the C module; heappushpop,
heapreplace, nlargest, nsmallest (with key=) and merge (with key= and
reverse=) are written here.
"""

from uheapq import heappush, heappop, heapify


def heappushpop(heap, item):
    if heap and heap[0] < item:
        item, heap[0] = heap[0], item
        _siftup(heap)
    return item


def heapreplace(heap, item):
    if not heap:
        raise IndexError("index out of range")
    result = heap[0]
    heap[0] = item
    _siftup(heap)
    return result


def _siftup(heap):
    # Restore the heap after heap[0] changed.
    item = heap[0]
    n = len(heap)
    pos = 0
    while True:
        child = 2 * pos + 1
        if child >= n:
            break
        if child + 1 < n and heap[child + 1] < heap[child]:
            child += 1
        if heap[child] < item:
            heap[pos] = heap[child]
            pos = child
        else:
            break
    heap[pos] = item


# Ties keep their input order, as in CPython (the sort itself need not be stable).
def nsmallest(n, iterable, key=None):
    items = list(iterable)
    keys = items if key is None else [key(x) for x in items]
    order = sorted(range(len(items)), key=lambda i: (keys[i], i))
    return [items[i] for i in order[:n]]


def nlargest(n, iterable, key=None):
    items = list(iterable)
    keys = items if key is None else [key(x) for x in items]
    order = sorted(range(len(items)), key=lambda i: (keys[i], -i), reverse=True)
    return [items[i] for i in order[:n]]


def merge(*iterables, key=None, reverse=False):
    h = []
    for order, it in enumerate(map(iter, iterables)):
        for value in it:
            h.append(_Entry(value if key is None else key(value), order, value, it, reverse))
            break
    heapify(h)
    while h:
        e = h[0]
        yield e.value
        for value in e.it:
            e.k = value if key is None else key(value)
            e.value = value
            _siftup(h)
            break
        else:
            heappop(h)


class _Entry:
    def __init__(self, k, order, value, it, reverse):
        self.k, self.order, self.value, self.it, self.rev = k, order, value, it, reverse

    def __lt__(self, other):
        if self.k == other.k:
            return self.order < other.order
        return (other.k < self.k) if self.rev else (self.k < other.k)
