def is_palindrome(s: str) -> bool:
    cleaned = "".join(ch.lower() for ch in s if ch.isalnum())
    return cleaned == cleaned[::-1]


for phrase in ["A man, a plan, a canal: Panama", "race a car", "", "No 'x' in Nixon"]:
    print(f"{phrase!r}: {is_palindrome(phrase)}")
