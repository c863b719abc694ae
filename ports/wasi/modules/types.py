"""types: names for built-in types, SimpleNamespace, new_class and coroutine.

FunctionType, LambdaType, GeneratorType, MethodType, BuiltinFunctionType,
BuiltinMethodType, ModuleType, NoneType, EllipsisType, NotImplementedType,
SimpleNamespace (attributes, repr, ==), MappingProxyType (a read-only view of
a dict), new_class, prepare_class, resolve_bases and DynamicClassAttribute
(a property). Left out: CodeType, FrameType, TracebackType (None here),
GenericAlias.
"""

import sys as _sys


def _f():
    pass


def _g():
    yield 1


class _C:
    def _m(self):
        pass


FunctionType = type(_f)
LambdaType = FunctionType
GeneratorType = type(_g())
MethodType = type(_C()._m)
BuiltinFunctionType = type(len)
BuiltinMethodType = type([].append)
ModuleType = type(_sys)
NoneType = type(None)
EllipsisType = type(...)
NotImplementedType = type(NotImplemented)
CodeType = FrameType = TracebackType = GetSetDescriptorType = MemberDescriptorType = None
del _f, _g, _C


class SimpleNamespace:
    def __init__(self, mapping_or_iterable=(), **kwargs):
        for k, v in dict(mapping_or_iterable).items():
            setattr(self, k, v)
        for k, v in kwargs.items():
            setattr(self, k, v)

    def __repr__(self):
        return "%s(%s)" % ("namespace" if type(self) is SimpleNamespace else type(self).__name__,
                           ", ".join("%s=%r" % kv for kv in self.__dict__.items()))

    def __eq__(self, other):
        if isinstance(self, SimpleNamespace) and isinstance(other, SimpleNamespace):
            return self.__dict__ == other.__dict__
        return NotImplemented


class MappingProxyType:
    def __init__(self, mapping):
        self._m = mapping

    def __getitem__(self, key):
        return self._m[key]

    def __iter__(self):
        return iter(self._m)

    def __len__(self):
        return len(self._m)

    def __contains__(self, key):
        return key in self._m

    def get(self, key, default=None):
        return self._m.get(key, default)

    def keys(self):
        return self._m.keys()

    def values(self):
        return self._m.values()

    def items(self):
        return self._m.items()

    def copy(self):
        return self._m.copy()

    def __repr__(self):
        return "mappingproxy(%r)" % (self._m,)


def resolve_bases(bases):
    return tuple(bases)


def prepare_class(name, bases=(), kwds=None):
    kwds = dict(kwds or {})
    meta = kwds.pop("metaclass", type)
    return meta, {}, kwds


def new_class(name, bases=(), kwds=None, exec_body=None):
    meta, ns, kwds = prepare_class(name, bases, kwds)
    if exec_body is not None:
        exec_body(ns)
    return meta(name, tuple(bases), ns)


DynamicClassAttribute = property


def coroutine(func):
    return func
