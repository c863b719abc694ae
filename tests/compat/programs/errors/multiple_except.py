def convert(value):
    try:
        return int(value)
    except (ValueError, TypeError) as e:
        return f"{type(e).__name__}"


print([convert(v) for v in ["12", "x", None, 3.9, "  7 "]])
