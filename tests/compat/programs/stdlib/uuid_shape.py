import uuid

u = uuid.uuid4()
s = str(u)
print(len(s), s.count("-"), u.version)
print(uuid.UUID("12345678-1234-5678-1234-567812345678").hex)
