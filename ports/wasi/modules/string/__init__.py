"""string: CPython's string constants, capwords, Template and Formatter.

Template supports $name, ${name}, $$, substitute() and safe_substitute().
Formatter.format/vformat delegate to str.format. Left out: Template
subclasses with custom delimiter/idpattern regexes, Formatter.parse.
"""

whitespace = " \t\n\r\v\f"
ascii_lowercase = "abcdefghijklmnopqrstuvwxyz"
ascii_uppercase = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ascii_letters = ascii_lowercase + ascii_uppercase
digits = "0123456789"
hexdigits = digits + "abcdef" + "ABCDEF"
octdigits = "01234567"
punctuation = r"""!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~"""
printable = digits + ascii_letters + punctuation + whitespace


def capwords(s, sep=None):
    return (sep or " ").join(w[:1].upper() + w[1:].lower() for w in s.split(sep))


_IDCHARS = ascii_letters + digits + "_"


class Template:
    delimiter = "$"

    def __init__(self, template):
        self.template = template

    def _sub(self, mapping, safe):
        s = self.template
        out = []
        i = 0
        n = len(s)
        while i < n:
            c = s[i]
            if c != "$":
                out.append(c)
                i += 1
                continue
            if i + 1 < n and s[i + 1] == "$":
                out.append("$")
                i += 2
                continue
            if i + 1 < n and s[i + 1] == "{":
                end = s.find("}", i + 2)
                name = s[i + 2:end] if end > 0 else ""
                if end > 0 and _is_ident(name):
                    out.append(self._lookup(mapping, name, s[i:end + 1], safe))
                    i = end + 1
                    continue
            else:
                j = i + 1
                while j < n and s[j] in _IDCHARS:
                    j += 1
                name = s[i + 1:j]
                if _is_ident(name):
                    out.append(self._lookup(mapping, name, s[i:j], safe))
                    i = j
                    continue
            if not safe:
                line = s[:i].count("\n") + 1
                col = i - (s.rfind("\n", 0, i) + 1) + 1
                raise ValueError("Invalid placeholder in string: line %d, col %d" % (line, col))
            out.append("$")
            i += 1
        return "".join(out)

    def _lookup(self, mapping, name, text, safe):
        try:
            return "%s" % (mapping[name],)
        except KeyError:
            if safe:
                return text
            raise

    def substitute(self, mapping=None, **kws):
        return self._sub(_merge(mapping, kws), False)

    def safe_substitute(self, mapping=None, **kws):
        return self._sub(_merge(mapping, kws), True)


def _merge(mapping, kws):
    if mapping is None:
        return kws
    if kws:
        d = dict(mapping)
        d.update(kws)
        return d
    return mapping


def _is_ident(name):
    return bool(name) and not name[0].isdigit() and all(c in _IDCHARS for c in name)


class Formatter:
    def format(self, format_string, *args, **kwargs):
        return self.vformat(format_string, args, kwargs)

    def vformat(self, format_string, args, kwargs):
        return format_string.format(*args, **kwargs)
