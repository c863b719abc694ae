def describe(value) -> str:
    if isinstance(value, bool):
        return f"bool {value}"
    if isinstance(value, int):
        return f"int with {value.bit_length()} bits"
    if isinstance(value, float):
        return f"float {value:.3g}"
    if isinstance(value, str):
        return f"str of length {len(value)}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__} of {len(value)}: " + ", ".join(describe(v) for v in value)
    if isinstance(value, dict):
        return f"dict with keys {sorted(value)}"
    return f"other: {type(value).__name__}"


for v in [True, 255, 3.14159, "hi", [1, "a"], (2.5,), {"b": 1, "a": 2}, None]:
    print(describe(v))
