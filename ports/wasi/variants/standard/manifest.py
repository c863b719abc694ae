# Python modules frozen into the standard image as bytecode.
# base64 alone: require("base64") would also freeze micropython-lib's
# pure-Python binascii, which then shadows the built-in binascii module.
module("base64.py", base_path="$(MPY_LIB_DIR)/python-stdlib/base64")
# copy alone: require("copy") would also freeze micropython-lib's types.
module("copy.py", base_path="$(MPY_LIB_DIR)/python-stdlib/copy")
require("datetime")
require("__future__")

# The CPython standard library subset of ports/wasi/modules/ (each file says
# what it implements). Those named like a built-in module (collections, heapq,
# json, random, re, time) extend it: a frozen module comes before an
# extensible built-in, which stays reachable as u<name>.
for _name in (
    "abc", "bisect", "contextlib", "dataclasses", "enum", "fractions", "functools", "heapq",
    "itertools", "json", "numbers", "operator", "random", "re", "statistics",
    "textwrap", "time", "types", "typing",
):
    module(_name + ".py", base_path="$(PORT_DIR)/modules")
package("collections", base_path="$(PORT_DIR)/modules")
# (string is a package for string.templatelib, the built-in t-string types.)
package("string", base_path="$(PORT_DIR)/modules")
