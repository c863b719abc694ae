LINES = """# header
10,apple
  
20,banana
bad line
30,cherry
""".splitlines()


def non_blank(lines):
    for line in lines:
        if line.strip() and not line.startswith("#"):
            yield line.strip()


def parse(lines):
    for line in lines:
        parts = line.split(",")
        if len(parts) == 2 and parts[0].isdigit():
            yield int(parts[0]), parts[1]


def expensive(records, limit):
    return (name for price, name in records if price > limit)


print(list(expensive(parse(non_blank(LINES)), 15)))
print(sum(p for p, _ in parse(non_blank(LINES))))
