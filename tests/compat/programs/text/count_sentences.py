import re

text = "Hello there! How are you today? I am fine. Thanks for asking... Bye."
sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
print(len(sentences))
for i, s in enumerate(sentences, 1):
    print(i, s, len(s.split()))
