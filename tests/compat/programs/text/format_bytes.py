def human_size(n: float) -> str:
    for unit in ["B", "KiB", "MiB", "GiB", "TiB"]:
        if abs(n) < 1024 or unit == "TiB":
            return f"{n:.1f} {unit}" if unit != "B" else f"{int(n)} {unit}"
        n /= 1024
    raise AssertionError


for size in [0, 512, 1024, 1536, 10 ** 6, 5 * 1024 ** 3, 2 ** 50]:
    print(f"{size:>20,} -> {human_size(size)}")
