# Python modules frozen into the standard image as bytecode.
require("base64")
require("functools")
require("bisect")
