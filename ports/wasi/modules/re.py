"""re: CPython's re API over the built-in regular expression engine.

The built-in engine (re1.5) matches ., [], [^], ^, $, ?, *, +, their lazy
forms, |, (...), (?:...), \\d \\w \\s \\D \\W \\S. This module adds, by
rewriting the pattern: named groups (?P<name>...), counted repetition {m},
{m,}, {m,n}, \\A and \\Z, re.IGNORECASE (letters become [xX] classes),
re.VERBOSE and re.DOTALL; and in Python: fullmatch, findall, finditer, sub
and subn (group references \\1, \\g<1>, \\g<name> and functions), split with
groups and maxsplit, escape, Pattern and Match objects with group(),
groups(default), groupdict(), span(), start(), end(), lastindex, [], expand().
Left out (re.error when used): backreferences, lookahead/lookbehind, \\b,
re.MULTILINE, possessive and atomic groups. Differences: \\w \\d \\s and
IGNORECASE are ASCII-only; the span of a group other than 0 needs the
built-in match.span(); after an empty match, the next match starts one
character further (CPython first tries a non-empty match at the same place).
"""

import ure as _ure

I = IGNORECASE = 2
L = LOCALE = 4
M = MULTILINE = 8
S = DOTALL = 16
U = UNICODE = 32
X = VERBOSE = 64
A = ASCII = 256
T = TEMPLATE = 1
DEBUG = 128
NOFLAG = 0


class error(Exception):
    def __init__(self, msg, pattern=None, pos=None):
        super().__init__(msg)
        self.msg = msg
        self.pattern = pattern
        self.pos = pos


PatternError = error
_SPECIAL = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f"


def escape(pattern):
    if isinstance(pattern, str):
        return "".join("\\" + c if c in _SPECIAL else c for c in pattern)
    return bytes(escape(pattern.decode("latin-1")), "latin-1")


def _swap(c):
    return c.lower() if c.isupper() else c.upper()


def _case_class(c):
    lo, up = c.lower(), c.upper()
    if lo == up:
        return None
    return lo + up


class _Translator:
    def __init__(self, pattern, flags):
        self.p = pattern
        self.i = 0
        self.flags = flags
        self.groups = 0
        self.groupindex = {}
        self.parents = [0]
        self.open = [0]

    def error(self, msg):
        raise error("%s at position %d" % (msg, self.i), self.p, self.i)

    def peek(self):
        return self.p[self.i] if self.i < len(self.p) else ""

    def translate(self):
        out = self.alternation()
        if self.i < len(self.p):
            self.error("unbalanced parenthesis")
        return out

    def alternation(self):
        parts = [self.sequence()]
        while self.peek() == "|":
            self.i += 1
            parts.append(self.sequence())
        return "|".join(parts)

    def sequence(self):
        atoms = []
        while self.i < len(self.p):
            c = self.p[self.i]
            if c == "|" or c == ")":
                break
            if self.flags & VERBOSE and c in " \t\n\r\v\f":
                self.i += 1
                continue
            if self.flags & VERBOSE and c == "#":
                while self.i < len(self.p) and self.p[self.i] != "\n":
                    self.i += 1
                continue
            if c in "*+?":
                if not atoms:
                    self.error("nothing to repeat")
                self.i += 1
                suffix = c
                if self.peek() == "?":
                    self.i += 1
                    suffix += "?"
                elif self.peek() == "+":
                    self.error("possessive repeat is not supported")
                atoms[-1] = self.wrap(atoms[-1]) + suffix
                continue
            if c == "{":
                rep = self.counted()
                if rep is not None:
                    if not atoms:
                        self.error("nothing to repeat")
                    atoms[-1] = self.repeat(atoms[-1], *rep)
                    continue
                atoms.append("\\{")
                self.i += 1
                continue
            atoms.append(self.atom())
        return "".join(atoms)

    @staticmethod
    def wrap(atom):
        # A repeated atom that is already repeated needs a group.
        if atom and atom[-1] in "*+?" and not atom.endswith("\\" + atom[-1]):
            return "(?:" + atom + ")"
        return atom

    def counted(self):
        j = self.p.find("}", self.i)
        if j < 0:
            return None
        body = self.p[self.i + 1:j]
        lo, comma, hi = body.partition(",")
        if not (lo.isdigit() or (comma and lo == "")) or (hi and not hi.isdigit()):
            return None
        self.i = j + 1
        lazy = False
        if self.peek() == "?":
            lazy = True
            self.i += 1
        lo = int(lo) if lo else 0
        hi = lo if not comma else (int(hi) if hi else None)
        if hi is not None and hi < lo:
            self.error("min repeat greater than max repeat")
        return lo, hi, lazy

    def repeat(self, atom, lo, hi, lazy):
        # Expanded into copies; only the last mandatory copy captures.
        atom = self.wrap(atom)
        q = "?" if lazy else ""
        inner = _noncapture(atom)
        if hi is None:
            if lo == 0:
                return atom + "*" + q
            return inner * (lo - 1) + atom + "+" + q
        if hi == 0:
            return ""
        if lo == 0:
            return _optional(atom, inner, hi, q)
        out = inner * (lo - 1) + atom
        if hi > lo:
            out += _optional(inner, inner, hi - lo, q)
        return out

    def atom(self):
        p = self.p
        c = p[self.i]
        if c == "(":
            return self.group()
        if c == "[":
            return self.char_class()
        if c == "\\":
            return self.escape_seq()
        self.i += 1
        if c == ".":
            # The built-in . also matches a newline.
            return "." if self.flags & DOTALL else "[^\n]"
        if self.flags & IGNORECASE:
            cc = _case_class(c)
            if cc is not None:
                return "[" + cc + "]"
        if c == "^" and self.flags & MULTILINE:
            self.error("re.MULTILINE is not supported")
        return c

    def escape_seq(self):
        p = self.p
        if self.i + 1 >= len(p):
            self.error("bad escape (end of pattern)")
        c = p[self.i + 1]
        self.i += 2
        if c in "dwsDWS":
            return "\\" + c
        if c == "A":
            return "^"
        if c == "Z":
            return "$"
        if c.isdigit() or c in "bBkg":
            self.error("\\" + c + " (backreferences and word boundaries) is not supported")
        if c == "n":
            return "\n"
        if c == "t":
            return "\t"
        if c == "r":
            return "\r"
        if c == "f":
            return "\f"
        if c == "v":
            return "\v"
        if c == "x":
            ch = chr(int(p[self.i:self.i + 2], 16))
            self.i += 2
            return self._literal(ch)
        if c == "u":
            ch = chr(int(p[self.i:self.i + 4], 16))
            self.i += 4
            return self._literal(ch)
        if c.isalpha():
            self.error("bad escape \\" + c)
        return self._literal(c)

    def _literal(self, ch):
        if self.flags & IGNORECASE:
            cc = _case_class(ch)
            if cc is not None:
                return "[" + cc + "]"
        return "\\" + ch if ch in _SPECIAL else ch

    def group(self):
        p = self.p
        self.i += 1
        if p.startswith("?", self.i):
            if p.startswith("?:", self.i):
                self.i += 2
                inner = self.alternation()
                self.close()
                return "(?:" + inner + ")"
            if p.startswith("?P<", self.i):
                j = p.find(">", self.i)
                name = p[self.i + 3:j]
                if j < 0 or not name or name[0].isdigit() or not all(c == "_" or c.isalpha() or c.isdigit() for c in name):
                    self.error("bad character in group name %r" % name)
                if name in self.groupindex:
                    self.error("redefinition of group name %r" % name)
                self.i = j + 1
                self.groupindex[name] = self.groups + 1
                return self.capture()
            if p.startswith("?#", self.i):
                j = p.find(")", self.i)
                self.i = j + 1
                return ""
            j = self.i + 1
            while j < len(p) and p[j] in "aiLmsux":
                j += 1
            if j > self.i + 1 and j < len(p) and p[j] in "):":
                # Inline flags (?i) (?s) (?x), or scoped (?i:...).
                for f in p[self.i + 1:j]:
                    self.flags |= {"i": IGNORECASE, "s": DOTALL, "x": VERBOSE, "m": MULTILINE,
                                   "a": 0, "u": 0, "L": 0}[f]
                if self.flags & MULTILINE:
                    self.error("re.MULTILINE is not supported")
                if p[j] == ")":
                    self.i = j + 1
                    return ""
                self.i = j + 1
                inner = self.alternation()
                self.close()
                return "(?:" + inner + ")"
            self.error("lookaround and conditional groups are not supported")
        return self.capture()

    def capture(self):
        self.groups += 1
        self.parents.append(self.open[-1])
        self.open.append(self.groups)
        inner = self.alternation()
        self.close()
        self.open.pop()
        return "(" + inner + ")"

    def close(self):
        if self.peek() != ")":
            self.error("missing ), unterminated subpattern")
        self.i += 1

    def char_class(self):
        p = self.p
        j = self.i + 1
        out = ["["]
        if j < len(p) and p[j] == "^":
            out.append("^")
            j += 1
        first = True
        items = []
        while j < len(p) and (p[j] != "]" or first):
            first = False
            c = p[j]
            if c == "\\" and j + 1 < len(p):
                e = p[j + 1]
                j += 2
                if e in "dwsDWS":
                    items.append("\\" + e)
                    continue
                ch = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}.get(e)
                if ch is None and e == "x":
                    ch = chr(int(p[j:j + 2], 16))
                    j += 2
                elif ch is None and e == "u":
                    ch = chr(int(p[j:j + 4], 16))
                    j += 4
                elif ch is None:
                    if e.isalpha() or e.isdigit():
                        self.i = j
                        self.error("bad escape \\" + e)
                    ch = e
                if ch in "]\\-^":
                    # Kept escaped: an escaped - is a character, not a range.
                    ch = "\\" + ch
                items.append(ch)
            else:
                items.append(c)
                j += 1
        if j >= len(p):
            self.error("unterminated character set")
        self.i = j + 1
        # items: single chars, escapes, and '-' between them for ranges.
        k = 0
        parts = []
        while k < len(items):
            a = items[k]
            if k + 2 < len(items) and items[k + 1] == "-" and len(a) == 1 and len(items[k + 2]) == 1:
                b = items[k + 2]
                parts.append(_cls_char(a) + "-" + _cls_char(b))
                if self.flags & IGNORECASE:
                    if a.isalpha() and b.isalpha() and a.islower() == b.islower():
                        parts.append(_cls_char(_swap(a)) + "-" + _cls_char(_swap(b)))
                k += 3
                continue
            if len(a) == 1:
                parts.append(_cls_char(a))
                if self.flags & IGNORECASE and _case_class(a):
                    parts.append(_cls_char(_swap(a)))
            else:
                parts.append(a)
            k += 1
        return "".join(out) + "".join(parts) + "]"


def _optional(first, inner, count, q):
    # count optional copies, nested: (?:x(?:x)?)?
    tail = ""
    for _ in range(count - 1):
        tail = "(?:" + inner + tail + ")?" + q
    return "(?:" + first + tail + ")?" + q


def _noncapture(s):
    out = []
    i = 0
    in_cls = False
    while i < len(s):
        c = s[i]
        if c == "\\":
            out.append(s[i:i + 2])
            i += 2
            continue
        if in_cls:
            in_cls = c != "]"
        elif c == "[":
            in_cls = True
        elif c == "(" and s[i + 1:i + 2] != "?":
            out.append("(?:")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _cls_char(c):
    return "\\" + c if c in "]\\-^" else c


class Match:
    def __init__(self, pattern, m, string, start, pos, endpos):
        self.re = pattern
        self._m = m
        self.string = string
        self._start = start
        self._end = start + len(m.group(0))
        self.pos = pos
        self.endpos = endpos

    def _index(self, g):
        if isinstance(g, str):
            try:
                return self.re.groupindex[g]
            except KeyError:
                raise IndexError("no such group") from None
        if not 0 <= g <= self.re.groups:
            raise IndexError("no such group")
        return g

    def group(self, *groups):
        if not groups:
            return self._m.group(0)
        if len(groups) == 1:
            return self._m.group(self._index(groups[0]))
        return tuple(self._m.group(self._index(g)) for g in groups)

    def __getitem__(self, g):
        return self.group(g)

    def groups(self, default=None):
        return tuple(default if v is None else v for v in
                     (self._m.group(i) for i in range(1, self.re.groups + 1)))

    def groupdict(self, default=None):
        d = {}
        for name, i in self.re.groupindex.items():
            v = self._m.group(i)
            d[name] = default if v is None else v
        return d

    def span(self, group=0):
        g = self._index(group)
        if g == 0:
            return self._start, self._end
        if self._m.group(g) is None:
            return -1, -1
        try:
            return self._m.span(g)
        except AttributeError:
            raise NotImplementedError("the span of a group needs the built-in re's match.span()") from None

    def start(self, group=0):
        return self.span(group)[0]

    def end(self, group=0):
        return self.span(group)[1]

    @property
    def lastindex(self):
        # The group that closed last: the outermost matched ancestor of the
        # last group that matched.
        last = None
        for i in range(self.re.groups, 0, -1):
            if self._m.group(i) is not None:
                last = i
                break
        if last is None:
            return None
        parent = self.re._parents[last]
        while parent:
            if self._m.group(parent) is not None:
                last = parent
            parent = self.re._parents[parent]
        return last

    @property
    def lastgroup(self):
        i = self.lastindex
        for name, j in self.re.groupindex.items():
            if j == i:
                return name
        return None

    def expand(self, template):
        return _expand(self.re, template)(self)

    def __bool__(self):
        return True

    def __repr__(self):
        return "<re.Match object; span=%r, match=%r>" % (self.span(), self.group())


class Pattern:
    def __init__(self, pattern, flags):
        if isinstance(pattern, (bytes, bytearray)):
            self._bytes = True
            text = pattern.decode("latin-1")
        else:
            self._bytes = False
            text = pattern
        if flags & MULTILINE:
            raise error("re.MULTILINE is not supported", pattern)
        t = _Translator(text, flags)
        translated = t.translate()
        self.pattern = pattern
        self.flags = flags | (0 if self._bytes else UNICODE)
        self.groups = t.groups
        self.groupindex = t.groupindex
        self._parents = t.parents
        try:
            self._re = _ure.compile(translated)
            self._full = _ure.compile("(?:" + translated + ")$")
        except Exception as e:
            raise error("%s: %r" % (e, pattern), pattern) from None

    def __repr__(self):
        return "re.compile(%r)" % (self.pattern,)

    def __eq__(self, other):
        return isinstance(other, Pattern) and self.pattern == other.pattern and self.flags == other.flags

    def __hash__(self):
        return hash((self.pattern, self.flags))

    def _run(self, engine, string, pos, endpos, search):
        n = len(string)
        if endpos is None or endpos > n:
            endpos = n
        if pos < 0:
            pos = 0
        if pos > endpos:
            return None
        ascii = not isinstance(string, str) or len(string.encode()) == n
        bend = endpos if ascii else len(string[:endpos].encode())

        def at(p):
            return engine.match(string, p if ascii else len(string[:p].encode()), bend)

        if not search:
            m = at(pos)
            return None if m is None else Match(self, m, string, pos, pos, endpos)
        # The built-in match object has no position: find the leftmost start
        # among the occurrences of the matched text.
        m = engine.search(string, pos if ascii else len(string[:pos].encode()), bend)
        if m is None:
            return None
        text = m.group(0)
        p = string.find(text, pos)
        while p >= 0:
            m = at(p)
            if m is not None:
                return Match(self, m, string, p, pos, endpos)
            p = string.find(text, p + 1)
        return None

    def match(self, string, pos=0, endpos=None):
        return self._run(self._re, string, pos, endpos, False)

    def search(self, string, pos=0, endpos=None):
        return self._run(self._re, string, pos, endpos, True)

    def fullmatch(self, string, pos=0, endpos=None):
        m = self._run(self._full, string, pos, endpos, False)
        if m is not None and m.end() != m.endpos:
            return None
        return m

    def finditer(self, string, pos=0, endpos=None):
        n = len(string) if endpos is None else min(endpos, len(string))
        while pos <= n:
            m = self._run(self._re, string, pos, n, True)
            if m is None:
                return
            yield m
            s, e = m.span()
            # After an empty match, go on one further (CPython would first
            # try a non-empty match at the same place).
            pos = e + 1 if s == e else e

    def findall(self, string, pos=0, endpos=None):
        out = []
        for m in self.finditer(string, pos, endpos):
            if self.groups == 0:
                out.append(m.group())
            elif self.groups == 1:
                out.append(m.groups(string[:0])[0])
            else:
                out.append(m.groups(string[:0]))
        return out

    def subn(self, repl, string, count=0):
        if not callable(repl):
            repl = _expand(self, repl)
        out = []
        last = 0
        n = 0
        for m in self.finditer(string):
            s, e = m.span()
            out.append(string[last:s])
            r = repl(m)
            if r is not None:
                out.append(r)
            last = e
            n += 1
            if count and n >= count:
                break
        out.append(string[last:])
        return string[:0].join(out), n

    def sub(self, repl, string, count=0):
        return self.subn(repl, string, count)[0]

    def split(self, string, maxsplit=0):
        out = []
        last = 0
        n = 0
        for m in self.finditer(string):
            s, e = m.span()
            out.append(string[last:s])
            out.extend(m.groups())
            last = e
            n += 1
            if maxsplit and n >= maxsplit:
                break
        out.append(string[last:])
        return out

    def scanner(self, string, pos=0, endpos=None):
        raise error("Pattern.scanner is not supported")


def _expand(pattern, template):
    # Parse the replacement template once: literal pieces and group numbers.
    empty = template[:0]
    is_bytes = not isinstance(template, str)
    t = template.decode("latin-1") if is_bytes else template
    pieces = []
    lit = []
    i = 0
    n = len(t)
    while i < n:
        c = t[i]
        if c != "\\" or i + 1 == n:
            if c == "\\":
                raise error("bad escape (end of pattern)", template, i)
            lit.append(c)
            i += 1
            continue
        d = t[i + 1]
        if d == "g":
            j = t.find(">", i)
            if t[i + 2:i + 3] != "<" or j < 0:
                raise error("missing <", template, i)
            name = t[i + 3:j]
            if name.isdigit():
                g = int(name)
            elif name in pattern.groupindex:
                g = pattern.groupindex[name]
            else:
                raise IndexError("unknown group name '%s'" % name)
            i = j + 1
        elif d.isdigit():
            j = i + 1
            while j < n and j < i + 3 and t[j].isdigit():
                j += 1
            g = int(t[i + 1:j])
            i = j
        else:
            esc = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "b": "\b", "\\": "\\"}.get(d)
            if esc is None:
                if d.isalpha():
                    raise error("bad escape \\" + d, template, i)
                esc = "\\" + d
            lit.append(esc)
            i += 2
            continue
        if g > pattern.groups:
            raise error("invalid group reference %d" % g, template, i)
        if lit:
            pieces.append("".join(lit))
            lit = []
        pieces.append(g)
    if lit:
        pieces.append("".join(lit))
    if is_bytes:
        pieces = [p.encode("latin-1") if isinstance(p, str) else p for p in pieces]

    def repl(m):
        return empty.join(p if not isinstance(p, int) else (m.group(p) or empty) for p in pieces)

    return repl


_cache = {}


def compile(pattern, flags=0):
    if isinstance(pattern, Pattern):
        if flags:
            raise ValueError("cannot process flags argument with a compiled pattern")
        return pattern
    key = (type(pattern), pattern, flags)
    p = _cache.get(key)
    if p is None:
        if len(_cache) >= 64:
            _cache.clear()
        p = _cache[key] = Pattern(pattern, flags)
    return p


def purge():
    _cache.clear()


def match(pattern, string, flags=0):
    return compile(pattern, flags).match(string)


def search(pattern, string, flags=0):
    return compile(pattern, flags).search(string)


def fullmatch(pattern, string, flags=0):
    return compile(pattern, flags).fullmatch(string)


def findall(pattern, string, flags=0):
    return compile(pattern, flags).findall(string)


def finditer(pattern, string, flags=0):
    return compile(pattern, flags).finditer(string)


def sub(pattern, repl, string, count=0, flags=0):
    return compile(pattern, flags).sub(repl, string, count)


def subn(pattern, repl, string, count=0, flags=0):
    return compile(pattern, flags).subn(repl, string, count)


def split(pattern, string, maxsplit=0, flags=0):
    return compile(pattern, flags).split(string, maxsplit)
