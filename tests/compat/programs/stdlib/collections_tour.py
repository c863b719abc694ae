from collections import ChainMap, Counter, OrderedDict, defaultdict, deque, namedtuple

c = Counter("abracadabra")
print(c.most_common(3), c["z"])
dd = defaultdict(int)
for w in "to be or not to be".split():
    dd[w] += 1
print(sorted(dd.items()))
dq = deque(range(5), maxlen=3)
print(list(dq))
Pt = namedtuple("Pt", "x y")
print(Pt(1, 2)._replace(y=5))
od = OrderedDict(b=2, a=1)
od.move_to_end("b")
print(list(od))
cm = ChainMap({"a": 1}, {"a": 2, "b": 3})
print(cm["a"], cm["b"], len(cm))
