"""enum: Enum, IntEnum, StrEnum, Flag, IntFlag, auto and unique.

An enum class is made by a stand-in metaclass (MicroPython has no metaclasses
on type): `class Color(Enum): RED = 1` gives an EnumType object whose members
are instances of a real class named Color, with name/value, iteration,
len(), Color(1), Color['RED'], `in`, __members__, methods and properties
defined in the body. Differences from CPython: isinstance(x, Color) and
type(Color.RED) is Color are false (use type(x) is type(Color.RED) or
x in Color); subclassing an enum with members is not checked.
"""


from ucollections import OrderedDict as _OrderedDict


class auto:
    _order = 0

    def __init__(self):
        auto._order += 1
        self._n = auto._order


_DUNDER_SKIP = ("__module__", "__qualname__", "__doc__", "__annotations__", "_ignore_", "__classcell__")


class EnumType:
    """The class of every enum; calling it with (name, bases, ns) makes an enum."""

    def __init__(self, name, bases=(), ns=None, boundary=None, _base=None):
        ns = {} if ns is None else ns
        member_base = _base
        for b in bases:
            if isinstance(b, EnumType):
                member_base = b._member_type
                self._kind = b._kind
                parent = b
                break
        else:
            raise TypeError("enum classes derive from Enum")
        self.__name__ = name
        self._kind = parent._kind
        methods = {k: v for k, v in ns.items() if not _is_member(k, v)}
        members = [(k, v) for k, v in ns.items() if _is_member(k, v)]
        # The class body's order is lost; auto() and plain values give it back.
        members.sort(key=_member_order)
        self._member_type = type(name, (member_base,), methods)
        self._member_map = {}
        self._value_map = {}
        self._members = []
        self._member_names = []
        last = None
        for i, (k, v) in enumerate(members):
            if isinstance(v, auto):
                v = self._generate_next_value_(k, 1, i, last)
            last = v
            self._add(k, v)
        self.__members__ = _OrderedDict((m, self._member_map[m]) for m in self._member_names)

    def _generate_next_value_(self, name, start, count, last):
        gen = self._member_type.__dict__.get("_generate_next_value_")
        if gen is not None:
            return gen(name, start, count, [m._value_ for m in self._members])
        if self._kind == "str":
            return name.lower()
        if self._kind == "flag":
            return 1 if last is None else 1 << (len(bin(int(last))) - 2)
        return start if last is None else last + 1

    def _add(self, name, value):
        self._member_names.append(name)
        existing = self._value_map.get(_hashable(value))
        if existing is not None:
            self._member_map[name] = existing
            return
        base = self._member_type
        args = value if isinstance(value, tuple) and self._kind == "plain" else (value,)
        if self._kind == "plain":
            m = object.__new__(base)
            init = getattr(base, "__init__", None)
            if init is not None and init is not object.__init__ and "__init__" in _all_dicts(base):
                init(m, *args)
        else:
            m = base(value)
        m._name_ = name
        m._value_ = value
        m.__objclass__ = self
        self._member_map[name] = m
        self._value_map[_hashable(value)] = m
        self._members.append(m)

    def __getattr__(self, name):
        try:
            return self._member_map[name]
        except KeyError:
            pass
        try:
            return getattr(self._member_type, name)
        except AttributeError:
            raise AttributeError("type object '%s' has no attribute '%s'" % (self.__name__, name)) from None

    def __call__(self, value, *args, **kw):
        m = self._value_map.get(_hashable(value))
        if m is not None:
            return m
        if isinstance(value, _EnumBase) and value.__objclass__ is self:
            return value
        if self._kind == "flag" and isinstance(value, int):
            return self._compose(value)
        missing = self._member_type.__dict__.get("_missing_")
        if missing is not None:
            r = missing.__func__(self, value) if hasattr(missing, "__func__") else missing(self, value)
            if r is not None:
                return r
        raise ValueError("%r is not a valid %s" % (value, self.__name__))

    def _compose(self, value):
        m = self._member_type(value)
        names = [x._name_ for x in self._members if x._value_ and x._value_ & value == x._value_ and _is_single(x._value_)]
        m._name_ = "|".join(names) if names else None
        m._value_ = value
        m.__objclass__ = self
        return m

    def __getitem__(self, name):
        return self._member_map[name]

    def __iter__(self):
        return iter(self._members)

    def __reversed__(self):
        return reversed(self._members)

    def __len__(self):
        return len(self._members)

    def __contains__(self, value):
        if isinstance(value, _EnumBase):
            return value.__objclass__ is self
        return _hashable(value) in self._value_map

    def __repr__(self):
        return "<enum '%s'>" % self.__name__

    def __bool__(self):
        return True


def _is_single(v):
    return v & (v - 1) == 0


def _all_dicts(cls):
    d = {}
    for b in reversed(_mro(cls)):
        d.update(b.__dict__)
    return d


def _mro(cls):
    out = [cls]
    for b in getattr(cls, "__bases__", ()):
        for c in _mro(b):
            if c not in out:
                out.append(c)
    return out


def _hashable(v):
    try:
        hash(v)
        return v
    except TypeError:
        return repr(v)


def _is_member(k, v):
    if k.startswith("__") or k in _DUNDER_SKIP or (k.startswith("_") and k.endswith("_")):
        return False
    if callable(v) and not isinstance(v, auto):
        return False
    return not isinstance(v, (staticmethod, classmethod, property))


def _member_order(kv):
    v = kv[1]
    if isinstance(v, auto):
        return (1, v._n, "")
    try:
        return (0, v, "") if not isinstance(v, str) else (0, 0, v)
    except TypeError:
        return (0, 0, kv[0])


class _EnumBase:
    @property
    def name(self):
        return self._name_

    @property
    def value(self):
        return self._value_

    def __repr__(self):
        return "<%s.%s: %r>" % (self.__objclass__.__name__, self._name_, self._value_)

    def __str__(self):
        return "%s.%s" % (self.__objclass__.__name__, self._name_)

    def __format__(self, spec):
        return format(str(self), spec)

    def __hash__(self):
        return hash(self._name_)

    def __reduce_ex__(self, proto):
        return self.__objclass__, (self._value_,)


def _plain(o):
    # The int (or str) inside an IntEnum/StrEnum member; MicroPython's int
    # does not unwrap a subclass instance on the right of an operator.
    if isinstance(o, _EnumBase) and isinstance(o, int):
        return int(o)
    if isinstance(o, _EnumBase) and isinstance(o, str):
        return o._value_
    return o


class _Cmp:
    def __eq__(self, o): return _plain(self) == _plain(o)
    def __ne__(self, o): return _plain(self) != _plain(o)
    def __lt__(self, o): return _plain(self) < _plain(o)
    def __le__(self, o): return _plain(self) <= _plain(o)
    def __gt__(self, o): return _plain(self) > _plain(o)
    def __ge__(self, o): return _plain(self) >= _plain(o)


class _IntBase(int, _EnumBase):
    def __add__(self, o): return int(self) + _plain(o)
    def __radd__(self, o): return _plain(o) + int(self)
    def __sub__(self, o): return int(self) - _plain(o)
    def __rsub__(self, o): return _plain(o) - int(self)
    def __mul__(self, o): return int(self) * _plain(o)
    def __rmul__(self, o): return _plain(o) * int(self)
    def __floordiv__(self, o): return int(self) // _plain(o)
    def __truediv__(self, o): return int(self) / _plain(o)
    def __mod__(self, o): return int(self) % _plain(o)

    def __repr__(self):
        return _EnumBase.__repr__(self)

    def __str__(self):
        return str(int(self))

    def __format__(self, spec):
        return format(int(self), spec)

    def __hash__(self):
        return hash(int(self))


class _StrBase(str, _EnumBase):
    def __repr__(self):
        return _EnumBase.__repr__(self)

    def __str__(self):
        return self._value_

    def __format__(self, spec):
        return format(self._value_, spec)

    def __hash__(self):
        return hash(self._value_)


class _FlagBase(int, _EnumBase):
    def __or__(self, other):
        return self.__objclass__(int(self) | int(other))

    def __and__(self, other):
        return self.__objclass__(int(self) & int(other))

    def __xor__(self, other):
        return self.__objclass__(int(self) ^ int(other))

    def __invert__(self):
        full = 0
        for m in self.__objclass__:
            full |= int(m)
        return self.__objclass__(full & ~int(self))

    def __contains__(self, other):
        return int(other) & int(self) == int(other)

    def __bool__(self):
        return bool(int(self))

    def __iter__(self):
        return iter([m for m in self.__objclass__ if _is_single(int(m)) and int(m) & int(self)])

    def __len__(self):
        return len(list(iter(self)))

    def __repr__(self):
        return "<%s.%s: %r>" % (self.__objclass__.__name__, self._name_, int(self))

    def __str__(self):
        return "%s.%s" % (self.__objclass__.__name__, self._name_)

    def __hash__(self):
        return hash(int(self))


class _IntFlagBase(_FlagBase):
    def __str__(self):
        return str(int(self))

    def __format__(self, spec):
        return format(int(self), spec)


# Copied in, not inherited: a native base (int, str) comes first in lookups.
for _cls in (_IntBase, _StrBase, _FlagBase):
    for _k in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"):
        setattr(_cls, _k, getattr(_Cmp, _k))


def _root(name, kind, base):
    e = object.__new__(EnumType)
    e.__name__ = name
    e._kind = kind
    e._member_type = base
    e._member_map = {}
    e._value_map = {}
    e._members = []
    e.__members__ = {}
    return e


Enum = _root("Enum", "plain", _EnumBase)
IntEnum = _root("IntEnum", "int", _IntBase)
StrEnum = _root("StrEnum", "str", _StrBase)
Flag = _root("Flag", "flag", _FlagBase)
IntFlag = _root("IntFlag", "flag", _IntFlagBase)
EnumMeta = EnumType
ReprEnum = Enum


def unique(enumeration):
    dups = [name for name, m in enumeration.__members__.items() if name != m.name]
    if dups:
        raise ValueError("duplicate values found in %r: %s" % (
            enumeration, ", ".join("%s -> %s" % (d, enumeration.__members__[d].name) for d in dups)))
    return enumeration
