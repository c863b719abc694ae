"""functools: CPython's functools in pure Python.

Implements partial (a class, with func/args/keywords), reduce, wraps and
update_wrapper, lru_cache (with cache_info/cache_clear), cache,
cached_property, total_ordering, cmp_to_key and singledispatch (dispatch on
the argument's class and its bases; register(cls) only, as annotations
are not kept). Left out: partialmethod, singledispatchmethod, typed=. A
plain function keeps its own __name__ under wraps(): MicroPython functions
take no attributes.
"""

from ucollections import OrderedDict as _OrderedDict

WRAPPER_ASSIGNMENTS = ("__module__", "__name__", "__qualname__", "__doc__")
WRAPPER_UPDATES = ("__dict__",)
_initial_missing = object()


class partial:
    def __init__(self, func, *args, **keywords):
        if not callable(func):
            raise TypeError("the first argument must be callable")
        if isinstance(func, partial):
            args = func.args + args
            keywords = dict(func.keywords, **keywords)
            func = func.func
        self.func = func
        self.args = args
        self.keywords = keywords

    def __call__(self, *args, **keywords):
        kw = dict(self.keywords)
        kw.update(keywords)
        return self.func(*self.args, *args, **kw)

    def __repr__(self):
        parts = [repr(self.func)] + [repr(a) for a in self.args]
        parts += ["%s=%r" % kv for kv in self.keywords.items()]
        return "functools.partial(%s)" % ", ".join(parts)


def reduce(function, iterable, initial=_initial_missing):
    it = iter(iterable)
    if initial is _initial_missing:
        try:
            value = next(it)
        except StopIteration:
            raise TypeError("reduce() of empty iterable with no initial value") from None
    else:
        value = initial
    for element in it:
        value = function(value, element)
    return value


def update_wrapper(wrapper, wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    # Functions in MicroPython take no new attributes; wrappers that can get them.
    for attr in assigned:
        try:
            setattr(wrapper, attr, getattr(wrapped, attr))
        except (AttributeError, TypeError):
            pass
    try:
        wrapper.__wrapped__ = wrapped
    except (AttributeError, TypeError):
        pass
    return wrapper


def wraps(wrapped, assigned=WRAPPER_ASSIGNMENTS, updated=WRAPPER_UPDATES):
    return partial(update_wrapper, wrapped=wrapped, assigned=assigned, updated=updated)


class _CacheInfo(tuple):
    def __init__(self, hits, misses, maxsize, currsize):
        super().__init__((hits, misses, maxsize, currsize))

    hits = property(lambda s: s[0])
    misses = property(lambda s: s[1])
    maxsize = property(lambda s: s[2])
    currsize = property(lambda s: s[3])

    def __repr__(self):
        return "CacheInfo(hits=%r, misses=%r, maxsize=%r, currsize=%r)" % tuple(self)

    __str__ = __repr__


class _lru_cache_wrapper:
    def __init__(self, func, maxsize):
        self.__wrapped__ = func
        self._maxsize = maxsize
        self._cache = _OrderedDict()
        self.hits = self.misses = 0
        update_wrapper(self, func)

    def __call__(self, *args, **kwargs):
        key = args
        if kwargs:
            key += (_kwmark,) + tuple(sorted(kwargs.items()))
        cache = self._cache
        try:
            result = cache[key]
        except KeyError:
            self.misses += 1
            result = self.__wrapped__(*args, **kwargs)
            if self._maxsize is not None and len(cache) >= self._maxsize > 0:
                # The first key is the least recently used.
                del cache[next(iter(cache))]
            if self._maxsize != 0:
                cache[key] = result
            return result
        self.hits += 1
        if self._maxsize is not None:
            del cache[key]
            cache[key] = result
        return result

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return partial(self, obj)

    def cache_info(self):
        return _CacheInfo(self.hits, self.misses, self._maxsize, len(self._cache))

    def cache_clear(self):
        self._cache = _OrderedDict()
        self.hits = self.misses = 0


_kwmark = object()


def lru_cache(maxsize=128, typed=False):
    if callable(maxsize) and not isinstance(maxsize, int):
        return _lru_cache_wrapper(maxsize, 128)
    if maxsize is not None and maxsize < 0:
        maxsize = 0
    return lambda func: _lru_cache_wrapper(func, maxsize)


def cache(func):
    return _lru_cache_wrapper(func, None)


class cached_property:
    def __init__(self, func):
        self.func = func
        self.attrname = None
        self.__doc__ = getattr(func, "__doc__", None)

    def __set_name__(self, owner, name):
        self.attrname = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        name = self.attrname or self.func.__name__
        value = self.func(instance)
        setattr(instance, name, value)
        return value


def total_ordering(cls):
    d = cls.__dict__
    if "__lt__" in d:
        lt = d["__lt__"]
        cls.__gt__ = lambda a, b: _rev(lt, a, b)
        cls.__le__ = lambda a, b: _or_eq(lt(a, b), a, b)
        cls.__ge__ = lambda a, b: _not(lt(a, b))
    elif "__le__" in d:
        le = d["__le__"]
        cls.__lt__ = lambda a, b: _and_ne(le(a, b), a, b)
        cls.__gt__ = lambda a, b: _not(le(a, b))
        cls.__ge__ = lambda a, b: _ge_from_le(le(a, b), a, b)
    elif "__gt__" in d:
        gt = d["__gt__"]
        cls.__lt__ = lambda a, b: _and_ne(_not(gt(a, b)), a, b)
        cls.__ge__ = lambda a, b: _or_eq(gt(a, b), a, b)
        cls.__le__ = lambda a, b: _not(gt(a, b))
    elif "__ge__" in d:
        ge = d["__ge__"]
        cls.__gt__ = lambda a, b: _and_ne(ge(a, b), a, b)
        cls.__lt__ = lambda a, b: _not(ge(a, b))
        cls.__le__ = lambda a, b: _ge_from_le(ge(a, b), a, b)
    else:
        raise ValueError("must define at least one ordering operation: < > <= >=")
    return cls


def _not(r):
    return r if r is NotImplemented else not r


def _or_eq(r, a, b):
    return r if r is NotImplemented else (r or a == b)


def _and_ne(r, a, b):
    return r if r is NotImplemented else (r and a != b)


def _ge_from_le(r, a, b):
    return r if r is NotImplemented else (not r or a == b)


def _rev(lt, a, b):
    r = lt(a, b)
    return r if r is NotImplemented else (not r and a != b)


def cmp_to_key(mycmp):
    class K:
        __slots__ = ("obj",)

        def __init__(self, obj):
            self.obj = obj

        def __lt__(self, other):
            return mycmp(self.obj, other.obj) < 0

        def __gt__(self, other):
            return mycmp(self.obj, other.obj) > 0

        def __eq__(self, other):
            return mycmp(self.obj, other.obj) == 0

        def __le__(self, other):
            return mycmp(self.obj, other.obj) <= 0

        def __ge__(self, other):
            return mycmp(self.obj, other.obj) >= 0

        __hash__ = None

    return K


class singledispatch:
    def __init__(self, func):
        self.registry = {object: func}
        self._func = func
        update_wrapper(self, func)

    def dispatch(self, cls):
        for c in _mro(cls):
            if c in self.registry:
                return self.registry[c]
        return self._func

    def register(self, cls, func=None):
        if func is None:
            if isinstance(cls, type):
                return lambda f: self.register(cls, f)
            raise TypeError("register() needs a class: annotations are not kept")
        self.registry[cls] = func
        return func

    def __call__(self, *args, **kw):
        if not args:
            raise TypeError("singledispatch function requires at least 1 positional argument")
        return self.dispatch(type(args[0]))(*args, **kw)


def _mro(cls):
    out = [cls]
    for b in getattr(cls, "__bases__", ()):
        for c in _mro(b):
            if c not in out:
                out.append(c)
    if object not in out:
        out.append(object)
    return out
