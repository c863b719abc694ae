"""typing: the names of CPython's typing module, for annotations.

Every special form can be subscripted (List[int], Dict[str, Any],
Optional[int], Callable[[int], str], ...) and used as a base class
(Generic[T], Protocol, NamedTuple, TypedDict). cast, overload, final,
runtime_checkable, NewType, TypeVar, get_type_hints and TYPE_CHECKING behave as
in CPython at run time. get_origin/get_args work on built-in generics
(list[int]). Left out: type checking itself; a user generic class
subscripted (Stack[int]) is the class itself.
"""

TYPE_CHECKING = False


class _Form:
    """A special form: subscriptable, callable as a base class."""

    def __new__(cls, *args, **kw):
        # `class C(Protocol)` calls type(Protocol)(name, bases, ns): make a real class.
        if len(args) == 3 and isinstance(args[1], tuple) and isinstance(args[2], dict):
            return _make_class(*args)
        return object.__new__(cls)

    def __init__(self, name, origin=None, args=()):
        self._name = name
        self.__origin__ = origin
        self.__args__ = args

    def __getitem__(self, params):
        if not isinstance(params, tuple):
            params = (params,)
        return _Form(self._name, self, params)

    def __call__(self, *args, **kw):
        if self.__origin__ is not None and callable(self.__origin__):
            return self.__origin__(*args, **kw)
        raise TypeError("Cannot instantiate typing.%s" % self._name)

    def __or__(self, other):
        return Union[self, other]

    def __ror__(self, other):
        return Union[other, self]

    def __repr__(self):
        if self.__args__:
            return "typing.%s[%s]" % (self._name, ", ".join(_type_repr(a) for a in self.__args__))
        return "typing." + self._name

    def __eq__(self, other):
        return (isinstance(other, _Form) and self._name == other._name
                and self.__args__ == other.__args__)

    def __hash__(self):
        return hash((self._name, self.__args__))

    def __mro_entries__(self, bases):
        return (object,)


def _type_repr(t):
    if isinstance(t, type):
        return t.__name__
    if t is ...:
        return "..."
    if isinstance(t, list):
        return "[%s]" % ", ".join(_type_repr(a) for a in t)
    return repr(t)


def _make_class(name, bases, ns):
    real = tuple(b for b in bases if isinstance(b, type) and b is not object)
    return type(name, real, ns)


class _Generic:
    """What Generic[T] and Protocol[T] become as base classes."""

    def __class_getitem__(cls, params):
        # Stack[int] (a subclass of Generic[T] subscripted) is used as the class
        return cls


class _GenericForm(_Form):
    def __getitem__(self, params):
        return _Generic


class TypeVar:
    def __init__(self, name, *constraints, bound=None, covariant=False, contravariant=False):
        self.__name__ = name
        self.__constraints__ = constraints
        self.__bound__ = bound
        self.__covariant__ = covariant
        self.__contravariant__ = contravariant

    def __repr__(self):
        return ("+" if self.__covariant__ else "-" if self.__contravariant__ else "~") + self.__name__

    def __or__(self, other):
        return Union[self, other]


class ParamSpec(TypeVar):
    args = kwargs = object()


TypeVarTuple = TypeVar


def NewType(name, tp):
    def new_type(x):
        return x

    return new_type


def cast(typ, val):
    return val


def overload(func):
    return func


def final(f):
    return f


def no_type_check(f):
    return f


def runtime_checkable(cls):
    return cls


def get_type_hints(obj, globalns=None, localns=None, include_extras=False):
    """The annotations of obj (of a class: with its bases', the nearest last),
    those written as strings evaluated in globalns or obj's module."""
    if isinstance(obj, type):
        hints = {}
        for base in reversed(_bases(obj)):
            ns = globalns if globalns is not None else _module_globals(base.__dict__.get("__module__"))
            for name, value in base.__dict__.get("__annotations__", {}).items():
                hints[name] = _eval_hint(value, ns, localns)
        return hints
    ns = globalns if globalns is not None else getattr(obj, "__globals__", {})
    return {k: _eval_hint(v, ns, localns) for k, v in getattr(obj, "__annotations__", {}).items()}


def _module_globals(name):
    import sys

    module = sys.modules.get(name)
    if module is None:
        try:
            module = __import__(name)  # __main__ is not in MicroPython's sys.modules
        except (ImportError, TypeError):
            return {}
    return module.__dict__


def _bases(cls):
    """cls and its bases, depth first, each once, cls first."""
    order = [cls]
    for b in cls.__bases__:
        for c in _bases(b):
            if c not in order:
                order.append(c)
    return order


def _eval_hint(value, globalns, localns):
    if isinstance(value, str):
        return eval(value, globalns, localns if localns is not None else globalns)
    return type(None) if value is None else value


def get_origin(tp):
    return getattr(tp, "__origin__", None)


def get_args(tp):
    return tuple(getattr(tp, "__args__", ()))


def reveal_type(obj):
    return obj


def assert_never(arg):
    raise AssertionError("Expected code to be unreachable")


def _forms(names, origins=None):
    g = globals()
    for name in names.split():
        g[name] = _Form(name, (origins or {}).get(name))


_forms("Any Union Optional Callable Tuple Type Literal Final ClassVar Annotated NoReturn Never "
       "Self LiteralString TypeAlias Concatenate TypeGuard Unpack Required NotRequired "
       "Hashable Sized Container Collection Iterable Iterator Reversible Generator Sequence "
       "MutableSequence Mapping MutableMapping AbstractSet MutableSet MappingView KeysView "
       "ItemsView ValuesView Awaitable Coroutine AsyncIterable AsyncIterator AsyncGenerator "
       "ContextManager AsyncContextManager SupportsInt SupportsFloat SupportsAbs SupportsIndex "
       "SupportsRound SupportsBytes SupportsComplex ByteString IO TextIO BinaryIO Pattern Match "
       )
_forms("List Dict Set FrozenSet Deque DefaultDict OrderedDict Counter ChainMap",
       {"List": list, "Dict": dict, "Set": set, "FrozenSet": frozenset})
Text = str
AnyStr = TypeVar("AnyStr", bytes, str)
Generic = _GenericForm("Generic")
Protocol = _GenericForm("Protocol")


class _NamedTupleForm(_Form):
    def __new__(cls, *args, **kw):
        if len(args) == 3 and isinstance(args[1], tuple) and isinstance(args[2], dict):
            name, bases, ns = args
            return _class_namedtuple(name, ns)
        return object.__new__(cls)

    def __init__(self, *args, **kw):
        _Form.__init__(self, "NamedTuple")

    def __call__(self, typename, fields=None, **kw):
        # NamedTuple('P', [('x', int), ('y', int)]) or NamedTuple('P', x=int, y=int)
        from collections import namedtuple
        fields = list(kw.items()) if fields is None else fields
        return namedtuple(typename, [f[0] for f in fields])


def _class_namedtuple(name, ns):
    from collections import namedtuple
    ann = ns.get("__annotations__", {})
    fields = list(ann)
    defaults = [ns[f] for f in fields if f in ns]
    cls = namedtuple(name, fields, defaults=defaults)
    for k, v in ns.items():
        if k not in fields and k not in ("__annotations__", "__module__", "__qualname__"):
            setattr(cls, k, v)
    return cls


NamedTuple = _NamedTupleForm("NamedTuple")


class _TypedDictForm(_Form):
    def __new__(cls, *args, **kw):
        if len(args) == 3 and isinstance(args[1], tuple) and isinstance(args[2], dict):
            return dict
        return object.__new__(cls)

    def __init__(self, *args, **kw):
        _Form.__init__(self, "TypedDict")

    def __call__(self, typename, fields=None, **kw):
        return dict


TypedDict = _TypedDictForm("TypedDict")
