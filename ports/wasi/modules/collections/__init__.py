"""collections: CPython's collections on top of the built-in module.

Implements deque (growable, with maxlen=, rotate, indexing, ...), namedtuple
(field names as a string or a list, defaults=, rename=, _fields, _make,
_asdict, _replace, _field_defaults), Counter, defaultdict, OrderedDict (the
built-in one: no move_to_end), ChainMap and UserDict/UserList. Left out:
UserString. Counter and defaultdict are Python subclasses of dict: their
missing-key behaviour works through [] only, and MicroPython's dict() does
not copy them (use dict(x.items())).
"""

# The built-in OrderedDict itself: C functions that take a dict (type(),
# dict(), **kwargs) refuse a Python subclass's instances.
from ucollections import OrderedDict
import sys as _sys

try:
    from ucollections import deque as _cdeque
except ImportError:
    _cdeque = None


class deque:
    def __init__(self, iterable=(), maxlen=None):
        if maxlen is not None and maxlen < 0:
            raise ValueError("maxlen must be non-negative")
        self._maxlen = maxlen
        self._items = []
        self._head = 0
        self.extend(iterable)

    maxlen = property(lambda self: self._maxlen)

    def _compact(self):
        if self._head > 32 and self._head * 2 > len(self._items):
            del self._items[:self._head]
            self._head = 0

    def append(self, x):
        self._items.append(x)
        if self._maxlen is not None and len(self) > self._maxlen:
            self.popleft()

    def appendleft(self, x):
        if self._head:
            self._head -= 1
            self._items[self._head] = x
        else:
            self._items.insert(0, x)
        if self._maxlen is not None and len(self) > self._maxlen:
            self.pop()

    def pop(self):
        if not len(self):
            raise IndexError("pop from an empty deque")
        return self._items.pop()

    def popleft(self):
        if not len(self):
            raise IndexError("pop from an empty deque")
        x = self._items[self._head]
        self._items[self._head] = None
        self._head += 1
        if self._head == len(self._items):
            self._items = []
            self._head = 0
        else:
            self._compact()
        return x

    def extend(self, iterable):
        if iterable is self:
            iterable = list(iterable)
        for x in iterable:
            self.append(x)

    def extendleft(self, iterable):
        if iterable is self:
            iterable = list(iterable)
        for x in iterable:
            self.appendleft(x)

    def clear(self):
        self._items = []
        self._head = 0

    def copy(self):
        return deque(self, self._maxlen)

    __copy__ = copy

    def count(self, x):
        return sum(1 for y in self if y == x)

    def index(self, x, start=0, stop=None):
        for i, y in enumerate(list(self)[start:stop]):
            if y == x:
                return i + start
        raise ValueError("%r is not in deque" % (x,))

    def insert(self, i, x):
        if self._maxlen is not None and len(self) >= self._maxlen:
            raise IndexError("deque already at its maximum size")
        items = list(self)
        items.insert(i, x)
        self._items, self._head = items, 0

    def remove(self, value):
        items = list(self)
        items.remove(value)
        self._items, self._head = items, 0

    def reverse(self):
        items = list(self)
        items.reverse()
        self._items, self._head = items, 0

    def rotate(self, n=1):
        k = len(self)
        if k:
            n %= k
            if n:
                items = list(self)
                self._items, self._head = items[-n:] + items[:-n], 0

    def __len__(self):
        return len(self._items) - self._head

    def __bool__(self):
        return len(self._items) > self._head

    def __iter__(self):
        for i in range(self._head, len(self._items)):
            yield self._items[i]

    def __reversed__(self):
        for i in range(len(self._items) - 1, self._head - 1, -1):
            yield self._items[i]

    def _index(self, i):
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("deque index out of range")
        return self._head + i

    def __getitem__(self, i):
        return self._items[self._index(i)]

    def __setitem__(self, i, x):
        self._items[self._index(i)] = x

    def __delitem__(self, i):
        del self._items[self._index(i)]

    def __contains__(self, x):
        for y in self:
            if y == x:
                return True
        return False

    def __eq__(self, other):
        return isinstance(other, deque) and list(self) == list(other)

    def __lt__(self, other):
        return list(self) < list(other)

    def __add__(self, other):
        d = deque(self, self._maxlen)
        d.extend(other)
        return d

    def __iadd__(self, other):
        self.extend(other)
        return self

    def __repr__(self):
        if self._maxlen is None:
            return "deque(%r)" % (list(self),)
        return "deque(%r, maxlen=%d)" % (list(self), self._maxlen)


def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    if isinstance(field_names, str):
        field_names = field_names.replace(",", " ").split()
    field_names = [str(f) for f in field_names]
    seen = set()
    for i, name in enumerate(field_names):
        bad = (not _isident(name) or name.startswith("_") or name in seen or name in _KEYWORDS)
        if bad and rename:
            field_names[i] = name = "_%d" % i
        elif bad:
            raise ValueError("Invalid field name: %r" % name)
        seen.add(name)
    fields = tuple(field_names)
    nf = len(fields)
    defaults = tuple(defaults) if defaults is not None else ()
    if len(defaults) > nf:
        raise TypeError("Got more default values than field names")
    field_defaults = dict(zip(fields[nf - len(defaults):], defaults))

    # A tuple subclass gets its items from tuple's constructor, called here
    # (MicroPython has no tuple.__new__).
    def __init__(self, *args, **kw):
        if len(args) > nf:
            raise TypeError("%s() takes %d positional arguments but %d were given" % (typename, nf, len(args)))
        values = list(args)
        for name in fields[len(args):]:
            if name in kw:
                values.append(kw.pop(name))
            elif name in field_defaults:
                values.append(field_defaults[name])
            else:
                raise TypeError("%s() missing required argument: %r" % (typename, name))
        if kw:
            raise TypeError("%s() got an unexpected keyword argument %r" % (typename, next(iter(kw))))
        super(cls, self).__init__(values)

    def _make(cls, iterable):
        return cls(*iterable)

    def _replace(self, **kw):
        values = [kw.pop(name, v) for name, v in zip(fields, self)]
        if kw:
            raise ValueError("Got unexpected field names: %r" % list(kw))
        return type(self)(*values)

    def __repr__(self):
        return "%s(%s)" % (typename, ", ".join("%s=%r" % kv for kv in zip(fields, self)))

    def _asdict(self):
        return _FieldDict(zip(fields, self))

    # The built-in tuple does not unwrap a subclass instance on the right.
    def __add__(self, other):
        return tuple(self) + tuple(other) if isinstance(other, tuple) else NotImplemented

    def __eq__(self, other):
        return isinstance(other, tuple) and tuple(self) == tuple(other)

    def __ne__(self, other):
        return not __eq__(self, other)

    def __lt__(self, other):
        return tuple(self) < tuple(other)

    def __le__(self, other):
        return tuple(self) <= tuple(other)

    def __gt__(self, other):
        return tuple(self) > tuple(other)

    def __ge__(self, other):
        return tuple(self) >= tuple(other)

    def __hash__(self):
        return hash(tuple(self))

    def __getnewargs__(self):
        return tuple(self)

    ns = {
        "__init__": __init__, "_make": classmethod(_make), "_replace": _replace,
        "__repr__": __repr__, "__str__": __repr__, "_asdict": _asdict, "__getnewargs__": __getnewargs__,
        "__add__": __add__, "__eq__": __eq__, "__ne__": __ne__, "__lt__": __lt__, "__le__": __le__,
        "__gt__": __gt__, "__ge__": __ge__, "__hash__": __hash__,
        "_fields": fields, "_field_defaults": field_defaults, "__slots__": (),
    }
    for i, name in enumerate(fields):
        ns[name] = property(lambda self, i=i: self[i])
    cls = type(typename, (tuple,), ns)
    return cls


def _isident(name):
    return bool(name) and not name[0].isdigit() and all(c == "_" or c.isalpha() or c.isdigit() for c in name)


_KEYWORDS = frozenset((
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in",
    "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
))


class defaultdict(dict):
    def __init__(self, default_factory=None, *args, **kw):
        if default_factory is not None and not callable(default_factory):
            raise TypeError("first argument must be callable or None")
        super().__init__(*args, **kw)
        self.default_factory = default_factory

    def __getitem__(self, key):
        try:
            return super().__getitem__(key)
        except KeyError:
            return self.__missing__(key)

    def __missing__(self, key):
        if self.default_factory is None:
            raise KeyError(key)
        self[key] = value = self.default_factory()
        return value

    def copy(self):
        return defaultdict(self.default_factory, _plain(self))

    __copy__ = copy

    def __repr__(self):
        return "defaultdict(%r, %r)" % (self.default_factory, _plain(self))

    __str__ = __repr__


class Counter(dict):
    def __init__(self, iterable=None, **kw):
        super().__init__()
        self.update(iterable, **kw)

    def __getitem__(self, key):
        return super().get(key, 0)

    def __missing__(self, key):
        return 0

    def total(self):
        return sum(self.values())

    def most_common(self, n=None):
        items = list(self.items())
        # Ties keep their order, whatever the sort's stability.
        order = sorted(range(len(items)), key=lambda i: (-items[i][1], i))
        items = [items[i] for i in order]
        return items if n is None else items[:n]

    def elements(self):
        for k, v in self.items():
            for _ in range(v):
                yield k

    def update(self, iterable=None, **kw):
        if iterable is not None:
            if isinstance(iterable, dict):
                for k, v in iterable.items():
                    self[k] = self[k] + v
            else:
                for k in iterable:
                    self[k] = self[k] + 1
        if kw:
            self.update(kw)

    def subtract(self, iterable=None, **kw):
        if iterable is not None:
            if isinstance(iterable, dict):
                for k, v in iterable.items():
                    self[k] = self[k] - v
            else:
                for k in iterable:
                    self[k] = self[k] - 1
        if kw:
            self.subtract(kw)

    def copy(self):
        return Counter(_plain(self))

    __copy__ = copy

    def __delitem__(self, key):
        if key in self:
            super().__delitem__(key)

    def __repr__(self):
        if not self:
            return "Counter()"
        return "Counter({%s})" % ", ".join("%r: %r" % kv for kv in self.most_common())

    __str__ = __repr__

    def _keep(self, pairs):
        c = Counter()
        for k, v in pairs:
            if v > 0:
                c[k] = v
        return c

    def __add__(self, other):
        keys = list(self) + [k for k in other if k not in self]
        return self._keep((k, self[k] + other[k]) for k in keys)

    def __sub__(self, other):
        keys = list(self) + [k for k in other if k not in self]
        return self._keep((k, self[k] - other[k]) for k in keys)

    def __or__(self, other):
        keys = list(self) + [k for k in other if k not in self]
        return self._keep((k, max(self[k], other[k])) for k in keys)

    def __and__(self, other):
        return self._keep((k, min(self[k], other[k])) for k in self)

    def __pos__(self):
        return self._keep(self.items())

    def __neg__(self):
        return self._keep((k, -v) for k, v in self.items())

    def __eq__(self, other):
        if not isinstance(other, dict):
            return NotImplemented
        return all(self[k] == other[k] for k in set(self) | set(other))

    def __ne__(self, other):
        r = self.__eq__(other)
        return r if r is NotImplemented else not r


class _FieldDict(OrderedDict):
    """_asdict()'s result: a dict in field order, shown as CPython shows a dict."""

    def __repr__(self):
        return "{%s}" % ", ".join("%r: %r" % kv for kv in self.items())

    __str__ = __repr__


def _plain(d):
    # dict(d) does not copy a dict subclass in MicroPython: items do.
    return {k: v for k, v in d.items()}


class ChainMap:
    def __init__(self, *maps):
        self.maps = list(maps) or [{}]

    def __getitem__(self, key):
        for m in self.maps:
            if key in m:
                return m[key]
        raise KeyError(key)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def __contains__(self, key):
        return any(key in m for m in self.maps)

    def __setitem__(self, key, value):
        self.maps[0][key] = value

    def __delitem__(self, key):
        del self.maps[0][key]

    def __len__(self):
        keys = set()
        for m in self.maps:
            keys.update(m)
        return len(keys)

    def __iter__(self):
        d = {}
        for m in reversed(self.maps):
            d.update(dict.fromkeys(m))
        return iter(d)

    def keys(self):
        return list(self)

    def items(self):
        return [(k, self[k]) for k in self]

    def values(self):
        return [self[k] for k in self]

    def new_child(self, m=None):
        return ChainMap({} if m is None else m, *self.maps)

    @property
    def parents(self):
        return ChainMap(*self.maps[1:])

    def __repr__(self):
        return "ChainMap(%s)" % ", ".join(repr(m) for m in self.maps)


class UserDict(dict):
    pass


class UserList(list):
    pass
