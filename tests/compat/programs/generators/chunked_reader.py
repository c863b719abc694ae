def read_in_chunks(data: bytes, size: int):
    for start in range(0, len(data), size):
        yield data[start:start + size]


payload = bytes(range(20))
for chunk in read_in_chunks(payload, 8):
    print(len(chunk), chunk.hex())
print(b"".join(read_in_chunks(payload, 3)) == payload)
