files = [
    ("report.pdf", 2048, "2024-02-01"),
    ("notes.txt", 12, "2024-03-15"),
    ("photo.jpg", 2048, "2024-01-20"),
    ("data.csv", 512, "2024-03-15"),
    ("archive.zip", 99999, "2023-12-31"),
]
by_size_desc_name = sorted(files, key=lambda f: (-f[1], f[0]))
for f in by_size_desc_name:
    print(f)
newest = sorted(files, key=lambda f: f[2], reverse=True)
print([f[0] for f in newest])
ext_counts = {}
for name, *_ in files:
    ext = name.rsplit(".", 1)[-1]
    ext_counts[ext] = ext_counts.get(ext, 0) + 1
print(sorted(ext_counts.items()))
