import sys


def main() -> int:
    errors = ["missing input", "bad format"]
    for e in errors:
        print("error:", e)
    return len(errors)


if __name__ == "__main__":
    sys.exit(main())
