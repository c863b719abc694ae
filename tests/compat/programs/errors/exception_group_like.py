errors = []
for item in ["1", "x", "3", None, "5"]:
    try:
        print(int(item) * 2)
    except (ValueError, TypeError) as e:
        errors.append(f"{item!r}: {type(e).__name__}")
print(len(errors), "errors")
print("\n".join(errors))
