import base64
import hashlib

msg = b"hello, world"
enc = base64.b64encode(msg)
print(enc, base64.b64decode(enc))
print(base64.urlsafe_b64encode(b"\xfb\xff\xfe"))
print(hashlib.sha256(msg).hexdigest())
print(hashlib.md5(b"abc").hexdigest())
h = hashlib.sha1()
h.update(b"a")
h.update(b"bc")
print(h.hexdigest())
