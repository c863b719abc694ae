import sys

print("about to exit")
sys.exit(0)
print("not printed")
