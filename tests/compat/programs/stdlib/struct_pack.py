import struct

packed = struct.pack("<IHf", 1, 2, 3.5)
print(packed.hex(), len(packed), struct.calcsize("<IHf"))
print(struct.unpack("<IHf", packed))
print(struct.pack(">h", -2).hex(), struct.unpack(">Q", b"\x00" * 7 + b"\x2a"))
