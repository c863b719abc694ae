def first_even(nums: list[int]) -> int | None:
    for n in nums:
        if n % 2 == 0:
            return n
    return None


def to_number(s: str) -> int | float:
    return float(s) if "." in s else int(s)


print(first_even([1, 3, 4, 6]), first_even([1, 3]))
print(to_number("3"), to_number("3.5"))
print(isinstance(5, int | float))
