"""abc: ABC, ABCMeta, abstractmethod and the abstract property decorators.

abstractmethod marks the function; instantiating an ABC subclass that still
has abstract methods raises TypeError as in CPython (checked in ABC.__new__,
so only for classes deriving from ABC). Left out: register() virtual
subclasses in isinstance(), __subclasshook__.
"""


def abstractmethod(funcobj):
    _abstract.add(funcobj)
    return funcobj


_abstract = set()


def _is_abstract(value):
    if isinstance(value, (staticmethod, classmethod)):
        value = getattr(value, "__func__", value)
    if isinstance(value, property):
        value = value.fget
    try:
        return value in _abstract
    except TypeError:
        return False


def _abstract_names(cls):
    names = set()
    seen = set()
    stack = [cls]
    order = []
    while stack:
        c = stack.pop(0)
        if c in seen:
            continue
        seen.add(c)
        order.append(c)
        stack.extend(getattr(c, "__bases__", ()))
    for c in reversed(order):
        for name, value in c.__dict__.items():
            if _is_abstract(value):
                names.add(name)
            else:
                names.discard(name)
    return names


_cache = {}


class ABC:
    def __new__(cls, *args, **kwargs):
        names = _cache.get(cls)
        if names is None:
            names = _cache[cls] = _abstract_names(cls)
        if names:
            names = sorted(names)
            raise TypeError("Can't instantiate abstract class %s with abstract method%s %s" % (
                cls.__name__, "s" if len(names) > 1 else "", ", ".join(names)))
        return object.__new__(cls)


class ABCMeta:
    """Only as `metaclass=ABCMeta`: the class is made as ABC's subclass."""

    def __new__(mcls, name, bases, namespace, **kwargs):
        if not any(isinstance(b, type) and issubclass(b, ABC) for b in bases):
            bases = bases + (ABC,)
        return type(name, bases, namespace)

    @staticmethod
    def register(subclass):
        return subclass


def abstractproperty(f):
    return property(abstractmethod(f))


abstractclassmethod = classmethod
abstractstaticmethod = staticmethod


def get_cache_token():
    return 0
