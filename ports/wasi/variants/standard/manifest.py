# Python modules frozen into the standard image as bytecode.
# base64 alone: require("base64") would also freeze micropython-lib's
# pure-Python binascii, which then shadows the built-in binascii module.
module("base64.py", base_path="$(MPY_LIB_DIR)/python-stdlib/base64")
require("functools")
require("bisect")
