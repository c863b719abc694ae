from typing import NewType

UserId = NewType("UserId", int)


def fetch(uid: UserId) -> str:
    return f"user-{uid}"


print(fetch(UserId(5)), UserId(5) + 1)
