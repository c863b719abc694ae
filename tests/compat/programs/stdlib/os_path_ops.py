import os.path

p = "/home/user/docs/report.final.pdf"
print(os.path.basename(p), os.path.dirname(p))
print(os.path.splitext(p), os.path.splitext("archive.tar.gz"))
print(os.path.split(p), os.path.basename(os.path.dirname(p)))
stem, ext = os.path.splitext(os.path.basename(p))
print(f"{stem}-v2{ext}")
