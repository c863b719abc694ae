"""string.templatelib: the built-in t-string types (Template, Interpolation).

The frozen `string` package shadows the built-in `string` module, which holds
them; this makes `from string.templatelib import Template` work as in CPython.
"""

from ustring import templatelib as _builtin

Template = _builtin.Template
Interpolation = _builtin.Interpolation
