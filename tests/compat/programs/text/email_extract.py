import re

text = """Contact us at support@example.com or sales@example.org.
Bad addresses: foo@, @bar.com, a@b. Personal: jane.doe+news@mail.co.uk"""
emails = re.findall(r"[\w.+-]+@[\w-]+\.[\w.-]+[a-z]", text)
print(emails)
domains = sorted({e.split("@")[1] for e in emails})
print(domains)
