import os.path

p = "/home/user/docs/report.final.pdf"
print(os.path.basename(p), os.path.dirname(p))
print(os.path.splitext(p), os.path.join("a", "b", "c.txt"))
print(os.path.split(p), os.path.isabs(p), os.path.normpath("/a/./b/../c"))
