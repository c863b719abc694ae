def valid_isbn10(isbn: str) -> bool:
    digits = isbn.replace("-", "")
    if len(digits) != 10 or not digits[:9].isdigit() or not (digits[9].isdigit() or digits[9] in "Xx"):
        return False
    total = sum((10 - i) * (10 if c in "Xx" else int(c)) for i, c in enumerate(digits))
    return total % 11 == 0


for isbn in ["3-598-21508-8", "3-598-21508-9", "3-598-21507-X", "359821507", "0-306-40615-2"]:
    print(isbn, valid_isbn10(isbn))
