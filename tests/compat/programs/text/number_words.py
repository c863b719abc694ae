ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def say(n: int) -> str:
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    if n < 1000:
        rest = n % 100
        return ONES[n // 100] + " hundred" + ("" if rest == 0 else " and " + say(rest))
    rest = n % 1000
    return say(n // 1000) + " thousand" + ("" if rest == 0 else (" " if rest >= 100 else " and ") + say(rest))


for n in [0, 7, 13, 21, 40, 99, 100, 115, 342, 1000, 1001, 12345]:
    print(n, say(n))
