"""json: CPython's json API; encoding in Python, decoding by the built-in.

dumps/dump take skipkeys, ensure_ascii, allow_nan, indent, separators,
default, sort_keys and cls (a JSONEncoder subclass with default()), and
produce CPython's output byte for byte. loads/load use the built-in parser
and take object_hook, object_pairs_hook, parse_float, parse_int; errors
raise JSONDecodeError (a ValueError) without line/column. Left out:
check_circular (a cycle raises RecursionError/ValueError), parse_constant.
"""

import ujson as _cjson
import ure as _ure

# (No NUL in a pattern: the built-in engine reads it as a C string.)
_PLAIN = _ure.compile('[^"\\\\\x01-\x1f\x7f]*$')


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
    # Most strings need no escape: printable ASCII without " or \\.
    if (len(s) < 256 and _PLAIN.match(s) is not None and "\x00" not in s
            and (not ensure_ascii or len(s.encode()) == len(s))):
        return '"' + s + '"'
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
        item_sep = self.item_separator
        key_sep = self.key_separator
        ensure_ascii = self.ensure_ascii
        sort_keys = self.sort_keys
        default = self.default
        float_repr = self._float
        key_str = self._key
        append = out.append

        def enc(o, level):
            t = type(o)
            if t is str:
                append(_encode_str(o, ensure_ascii))
            elif o is None:
                append("null")
            elif o is True:
                append("true")
            elif o is False:
                append("false")
            elif t is int:
                append(repr(o))
            elif t is float:
                append(float_repr(o))
            elif t is list or t is tuple:
                if not o:
                    append("[]")
                    return
                if indent is None:
                    sep, nl, end = item_sep, "", ""
                else:
                    nl = "\n" + indent * (level + 1)
                    sep, end = item_sep + nl, "\n" + indent * level
                append("[" + nl)
                first = True
                for v in o:
                    if first:
                        first = False
                    else:
                        append(sep)
                    enc(v, level + 1)
                append(end + "]")
            elif t is dict or isinstance(o, dict):
                if not o:
                    append("{}")
                    return
                items = list(o.items())
                if sort_keys:
                    items.sort(key=lambda kv: kv[0])
                if indent is None:
                    sep, nl, end = item_sep, "", ""
                else:
                    nl = "\n" + indent * (level + 1)
                    sep, end = item_sep + nl, "\n" + indent * level
                append("{" + nl)
                first = True
                for k, v in items:
                    if type(k) is not str:
                        k = key_str(k)
                        if k is None:
                            continue
                    if first:
                        first = False
                    else:
                        append(sep)
                    append(_encode_str(k, ensure_ascii))
                    append(key_sep)
                    enc(v, level + 1)
                append(end + "}")
            elif isinstance(o, str):
                append(_encode_str(str(o), ensure_ascii))
            elif isinstance(o, int):
                append(repr(int(o)))
            elif isinstance(o, float):
                append(float_repr(float(o)))
            elif isinstance(o, (list, tuple)):
                enc(list(o), level)
            else:
                if level > 900:
                    raise ValueError("Circular reference detected")
                enc(default(o), level + 1)

        enc(o, 0)
        return out


def dumps(obj, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True, cls=None,
          indent=None, separators=None, default=None, sort_keys=False, **kw):
    if cls is None and indent is None and separators is None and default is None and not (sort_keys or skipkeys or kw):
        s = _builtin_dumps(obj, ensure_ascii)
        if s is not None:
            return s
    return (cls or JSONEncoder)(skipkeys=skipkeys, ensure_ascii=ensure_ascii, allow_nan=allow_nan,
                                indent=indent, separators=separators, default=default,
                                sort_keys=sort_keys, **kw).encode(obj)


def _builtin_dumps(obj, ensure_ascii):
    # The built-in encoder is much faster; its output is CPython's when it
    # reads back as the same value (sets, bytes, tuples as keys, NaN and
    # objects it prints some other way do not) and holds no escape that
    # CPython writes differently (\\b, \\f, DEL, non-ASCII).
    try:
        s = _cjson.dumps(obj)
        if "\\u00" in s or "\x7f" in s or (ensure_ascii and len(s.encode()) != len(s)):
            return None
        if _cjson.loads(s) != obj:
            return None
    except Exception:
        return None
    return s


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
