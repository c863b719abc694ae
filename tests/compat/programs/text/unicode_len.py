samples = ["héllo", "日本語", "emoji 🎉", "naïve café"]
for s in samples:
    encoded = s.encode("utf-8")
    print(f"{s!r}: chars={len(s)} bytes={len(encoded)} upper={s.upper()}")
print("日本語"[1], "日本語"[-1], "🎉" in "emoji 🎉")
print(ord("é"), chr(233), hex(ord("🎉")))
print(b"caf\xc3\xa9".decode("utf-8"))
