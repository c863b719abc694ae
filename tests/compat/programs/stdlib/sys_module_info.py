import sys

print(sys.version_info[0], sys.version_info >= (3, 0))
print(type(sys.argv).__name__, isinstance(sys.path, list))
print(sys.maxsize > 2 ** 30, sys.byteorder in ("little", "big"))
print("sys" in sys.modules)
