"""dataclasses: dataclass, field, fields, asdict, astuple, replace, is_dataclass.

Fields come from the class's __annotations__, in their order, as in CPython
(ClassVar annotations are not fields). An interpreter that drops class
annotations (MicroPython without MICROPY_COMP_ANNOTATIONS) makes the fields
the class attributes that have a default value (field() or a plain value),
sorted by name. Generated: __init__ (with default and
default_factory, __post_init__, InitVar-free), __repr__, __eq__, order=
comparisons, frozen= (assignment raises FrozenInstanceError), unsafe_hash=
and __hash__ for frozen+eq. Left out: slots=, kw_only=, match_args, InitVar.
"""

from ucollections import OrderedDict as _OrderedDict

MISSING = object()


class FrozenInstanceError(AttributeError):
    pass


class Field:
    def __init__(self, default, default_factory, init, repr, hash, compare, metadata, kw_only):
        self.name = None
        self.type = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.hash = hash
        self.compare = compare
        self.metadata = metadata or {}
        self.kw_only = kw_only

    def __repr__(self):
        return "Field(name=%r,default=%r,default_factory=%r,init=%r,repr=%r,compare=%r)" % (
            self.name, self.default, self.default_factory, self.init, self.repr, self.compare)


def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None,
          compare=True, metadata=None, kw_only=MISSING):
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, hash, compare, metadata, kw_only)


_FIELDS = "__dataclass_fields__"


def _collect(cls):
    fields = _OrderedDict()
    for b in reversed(cls.__bases__):
        base_fields = getattr(b, _FIELDS, None)
        if base_fields:
            fields.update(base_fields)
    d = cls.__dict__
    ann = d.get("__annotations__")
    if ann is not None:
        names = [k for k, v in ann.items() if not _is_classvar(v)]
    else:
        names = sorted(k for k, v in d.items() if _is_field_default(k, v))
    for name in names:
        default = d.get(name, MISSING)
        if isinstance(default, Field):
            f = default
        else:
            if isinstance(default, (list, dict, set)):
                raise ValueError("mutable default %s for field %s is not allowed: use default_factory"
                                 % (type(default), name))
            f = field(default=default)
        f.name = name
        f.type = ann.get(name) if ann is not None else None
        fields[name] = f
        if f.default is MISSING:
            if name in d:
                delattr(cls, name)
        else:
            setattr(cls, name, f.default)
    return fields


def _is_classvar(annotation):
    if isinstance(annotation, str):  # from __future__ import annotations
        return annotation.startswith("ClassVar") or annotation.startswith("typing.ClassVar")
    return getattr(annotation, "_name", None) == "ClassVar"


def _is_field_default(k, v):
    if k.startswith("__"):
        return False
    if isinstance(v, Field):
        return True
    return not (callable(v) or isinstance(v, (staticmethod, classmethod, property)))


def dataclass(cls=None, *, init=True, repr=True, eq=True, order=False, unsafe_hash=False,
              frozen=False, match_args=True, kw_only=False, slots=False):
    def wrap(cls):
        return _process(cls, init, repr, eq, order, unsafe_hash, frozen)

    return wrap if cls is None else wrap(cls)


def _process(cls, init, repr_, eq, order, unsafe_hash, frozen):
    fields = _collect(cls)
    setattr(cls, _FIELDS, fields)
    setattr(cls, "__dataclass_params__", {"frozen": frozen, "eq": eq, "order": order})
    flist = list(fields.values())
    init_fields = [f for f in flist if f.init]
    seen_default = False
    for f in init_fields:
        if f.default is not MISSING or f.default_factory is not MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError("non-default argument '%s' follows default argument" % f.name)
    name = cls.__name__
    d = cls.__dict__

    if init and "__init__" not in d:
        def __init__(self, *args, **kw):
            if len(args) > len(init_fields):
                raise TypeError("%s.__init__() takes %d positional arguments but %d were given"
                                % (name, len(init_fields) + 1, len(args) + 1))
            for f, v in zip(init_fields, args):
                if f.name in kw:
                    raise TypeError("%s.__init__() got multiple values for argument '%s'" % (name, f.name))
                kw[f.name] = v
            for f in flist:
                if f.init and f.name in kw:
                    v = kw.pop(f.name)
                elif f.default is not MISSING:
                    v = f.default
                elif f.default_factory is not MISSING:
                    v = f.default_factory()
                elif f.init:
                    raise TypeError("%s.__init__() missing 1 required positional argument: '%s'" % (name, f.name))
                else:
                    continue
                object.__setattr__(self, f.name, v) if frozen else setattr(self, f.name, v)
            if kw:
                raise TypeError("%s.__init__() got an unexpected keyword argument '%s'" % (name, next(iter(kw))))
            post = getattr(self, "__post_init__", None)
            if post is not None:
                post()

        cls.__init__ = __init__

    if repr_ and "__repr__" not in d:
        def __repr__(self):
            return "%s(%s)" % (type(self).__name__, ", ".join(
                "%s=%r" % (f.name, getattr(self, f.name)) for f in flist if f.repr))

        cls.__repr__ = __repr__

    def key(self):
        return tuple(getattr(self, f.name) for f in flist if f.compare)

    if eq and "__eq__" not in d:
        def __eq__(self, other):
            if other.__class__ is not self.__class__:
                return NotImplemented
            return key(self) == key(other)

        cls.__eq__ = __eq__

    if order:
        def _cmp(op):
            def method(self, other):
                if other.__class__ is not self.__class__:
                    return NotImplemented
                return op(key(self), key(other))

            return method

        cls.__lt__ = _cmp(lambda a, b: a < b)
        cls.__le__ = _cmp(lambda a, b: a <= b)
        cls.__gt__ = _cmp(lambda a, b: a > b)
        cls.__ge__ = _cmp(lambda a, b: a >= b)

    if frozen:
        def __setattr__(self, attr, value):
            raise FrozenInstanceError("cannot assign to field '%s'" % attr)

        def __delattr__(self, attr):
            raise FrozenInstanceError("cannot delete field '%s'" % attr)

        cls.__setattr__ = __setattr__
        cls.__delattr__ = __delattr__

    if unsafe_hash or (eq and frozen):
        cls.__hash__ = lambda self: hash(tuple(getattr(self, f.name) for f in flist
                                               if (f.compare if f.hash is None else f.hash)))
    elif eq and "__hash__" not in d:
        cls.__hash__ = None
    return cls


def fields(obj):
    try:
        fs = getattr(obj, _FIELDS)
    except AttributeError:
        raise TypeError("must be called with a dataclass type or instance") from None
    return tuple(fs.values())


def is_dataclass(obj):
    return hasattr(obj, _FIELDS)


def _copy_value(v, factory):
    if is_dataclass(v) and not isinstance(v, type):
        return factory((f.name, _copy_value(getattr(v, f.name), factory)) for f in fields(v)) \
            if factory is not tuple else tuple(_copy_value(getattr(v, f.name), factory) for f in fields(v))
    if isinstance(v, tuple) and hasattr(v, "_fields"):
        return type(v)(*[_copy_value(x, factory) for x in v])
    if isinstance(v, (list, tuple)):
        return type(v)(_copy_value(x, factory) for x in v)
    if isinstance(v, dict):
        return type(v)((_copy_value(k, factory), _copy_value(x, factory)) for k, x in v.items())
    return v


def asdict(obj, *, dict_factory=dict):
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError("asdict() should be called on dataclass instances")
    return _copy_value(obj, dict_factory)


def astuple(obj, *, tuple_factory=tuple):
    if not is_dataclass(obj) or isinstance(obj, type):
        raise TypeError("astuple() should be called on dataclass instances")
    return tuple_factory(_copy_value(getattr(obj, f.name), tuple) for f in fields(obj))


def replace(obj, **changes):
    for f in fields(obj):
        if f.init and f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return obj.__class__(**changes)


def make_dataclass(cls_name, fields_, *, bases=(), namespace=None, **kw):
    ns = dict(namespace or {})
    ann = {}
    for item in fields_:
        if isinstance(item, str):
            ann[item] = "typing.Any"
        elif len(item) == 2:
            ann[item[0]] = item[1]
        else:
            ann[item[0]] = item[1]
            ns[item[0]] = item[2]
    ns["__annotations__"] = ann
    return dataclass(type(cls_name, bases, ns), **kw)
