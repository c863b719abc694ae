def binary_search(items: list[int], target: int) -> int:
    lo, hi = 0, len(items) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if items[mid] == target:
            return mid
        if items[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


data = list(range(0, 100, 3))
for t in [0, 3, 50, 51, 99, 100]:
    print(f"search({t}) -> {binary_search(data, t)}")
