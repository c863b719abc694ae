def luhn(number: str) -> bool:
    digits = [int(d) for d in number if d.isdigit()]
    if len(digits) < 2:
        return False
    checksum = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        checksum += d
    return checksum % 10 == 0


for card in ["4539 3195 0343 6467", "8273 1232 7352 0569", "79927398713", "0"]:
    print(f"{card:>20}: {'valid' if luhn(card) else 'invalid'}")
