import io

buf = io.StringIO()
buf.write("line one\n")
print("line two", file=buf)
buf.write(f"{3 * 7}\n")
print(repr(buf.getvalue()))
buf.seek(0)
print(buf.readline().strip(), buf.read().split())
b = io.BytesIO(b"\x00\x01binary")
print(b.read(2), b.read())
