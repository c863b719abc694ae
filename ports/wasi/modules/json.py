"""json: CPython's json API; encoding in Python, decoding by the built-in.

dumps/dump take skipkeys, ensure_ascii, allow_nan, indent, separators,
default, sort_keys and cls (a JSONEncoder subclass with default()), and
produce CPython's output byte for byte. loads/load use the built-in parser
and take object_hook, object_pairs_hook, parse_float, parse_int; errors
raise JSONDecodeError (a ValueError) without line/column. Left out:
check_circular (a cycle raises RecursionError/ValueError), parse_constant.
"""

import ujson as _cjson


class JSONDecodeError(ValueError):
    def __init__(self, msg, doc="", pos=0):
        super().__init__(msg)
        self.msg = msg
        self.doc = doc
        self.pos = pos
        self.lineno = doc.count("\n", 0, pos) + 1
        self.colno = pos - doc.rfind("\n", 0, pos)


_ESC = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _encode_str(s, ensure_ascii):
    out = ['"']
    for c in s:
        e = _ESC.get(c)
        if e is not None:
            out.append(e)
            continue
        o = ord(c)
        if o < 0x20 or (ensure_ascii and o > 0x7E):
            if o > 0xFFFF:
                o -= 0x10000
                out.append("\\u%04x\\u%04x" % (0xD800 | (o >> 10), 0xDC00 | (o & 0x3FF)))
            else:
                out.append("\\u%04x" % o)
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


class JSONEncoder:
    item_separator = ", "
    key_separator = ": "

    def __init__(self, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True,
                 sort_keys=False, indent=None, separators=None, default=None):
        self.skipkeys = skipkeys
        self.ensure_ascii = ensure_ascii
        self.allow_nan = allow_nan
        self.sort_keys = sort_keys
        self.indent = indent
        if separators is not None:
            self.item_separator, self.key_separator = separators
        elif indent is not None:
            self.item_separator = ","
        if default is not None:
            self.default = default

    def default(self, o):
        raise TypeError("Object of type %s is not JSON serializable" % type(o).__name__)

    def encode(self, o):
        return "".join(self.iterencode(o))

    def _float(self, o):
        if o != o:
            text = "NaN"
        elif o == float("inf"):
            text = "Infinity"
        elif o == -float("inf"):
            text = "-Infinity"
        else:
            return repr(o)
        if not self.allow_nan:
            raise ValueError("Out of range float values are not JSON compliant: " + repr(o))
        return text

    def _key(self, k):
        if isinstance(k, str):
            return k
        if k is True:
            return "true"
        if k is False:
            return "false"
        if k is None:
            return "null"
        if isinstance(k, float):
            return self._float(k)
        if isinstance(k, int):
            return int.__repr__(k) if type(k) is not int else repr(k)
        if self.skipkeys:
            return None
        raise TypeError("keys must be str, int, float, bool or None, not %s" % type(k).__name__)

    def iterencode(self, o, _one_shot=False):
        out = []
        indent = self.indent
        if indent is not None and not isinstance(indent, str):
            indent = " " * indent
        self._enc(o, out, indent, 0)
        return out

    def _enc(self, o, out, indent, level):
        if isinstance(o, str):
            out.append(_encode_str(o, self.ensure_ascii))
        elif o is None:
            out.append("null")
        elif o is True:
            out.append("true")
        elif o is False:
            out.append("false")
        elif isinstance(o, int):
            out.append(repr(int(o)))
        elif isinstance(o, float):
            out.append(self._float(float(o)))
        elif isinstance(o, (list, tuple)):
            if not o:
                out.append("[]")
                return
            sep, nl = self._layout(indent, level + 1)
            out.append("[" + nl)
            first = True
            for v in o:
                if not first:
                    out.append(sep)
                first = False
                self._enc(v, out, indent, level + 1)
            out.append(self._layout(indent, level)[1] + "]")
        elif isinstance(o, dict):
            if not o:
                out.append("{}")
                return
            items = list(o.items())
            if self.sort_keys:
                items.sort(key=lambda kv: kv[0])
            sep, nl = self._layout(indent, level + 1)
            out.append("{" + nl)
            first = True
            for k, v in items:
                k = self._key(k)
                if k is None:
                    continue
                if not first:
                    out.append(sep)
                first = False
                out.append(_encode_str(k, self.ensure_ascii))
                out.append(self.key_separator)
                self._enc(v, out, indent, level + 1)
            out.append(self._layout(indent, level)[1] + "}")
        else:
            if level > 900:
                raise ValueError("Circular reference detected")
            self._enc(self.default(o), out, indent, level + 1)

    def _layout(self, indent, level):
        if indent is None:
            return self.item_separator, ""
        nl = "\n" + indent * level
        return self.item_separator + nl, nl


def dumps(obj, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True, cls=None,
          indent=None, separators=None, default=None, sort_keys=False, **kw):
    return (cls or JSONEncoder)(skipkeys=skipkeys, ensure_ascii=ensure_ascii, allow_nan=allow_nan,
                                indent=indent, separators=separators, default=default,
                                sort_keys=sort_keys, **kw).encode(obj)


def dump(obj, fp, **kw):
    fp.write(dumps(obj, **kw))


class JSONDecoder:
    def __init__(self, *, object_hook=None, parse_float=None, parse_int=None, parse_constant=None,
                 strict=True, object_pairs_hook=None):
        self.object_hook = object_hook
        self.parse_float = parse_float
        self.parse_int = parse_int
        self.object_pairs_hook = object_pairs_hook

    def decode(self, s):
        if isinstance(s, (bytes, bytearray)):
            s = s.decode()
        if not isinstance(s, str):
            raise TypeError("the JSON object must be str, bytes or bytearray, not %s" % type(s).__name__)
        try:
            value = _cjson.loads(s)
        except ValueError as e:
            raise JSONDecodeError(str(e.args[0]) if e.args else "Expecting value", s, 0) from None
        if self.object_hook or self.object_pairs_hook or self.parse_float or self.parse_int:
            value = self._walk(value)
        return value

    def _walk(self, v):
        if isinstance(v, dict):
            pairs = [(k, self._walk(x)) for k, x in v.items()]
            if self.object_pairs_hook is not None:
                return self.object_pairs_hook(pairs)
            d = dict(pairs)
            return self.object_hook(d) if self.object_hook is not None else d
        if isinstance(v, list):
            return [self._walk(x) for x in v]
        if isinstance(v, float) and self.parse_float is not None:
            return self.parse_float(repr(v))
        if isinstance(v, int) and not isinstance(v, bool) and self.parse_int is not None:
            return self.parse_int(str(v))
        return v


def loads(s, *, cls=None, **kw):
    return (cls or JSONDecoder)(**kw).decode(s)


def load(fp, **kw):
    return loads(fp.read(), **kw)
