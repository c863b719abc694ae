from typing import Final, Literal

MAX_RETRIES: Final = 3
Mode = Literal["r", "w"]


def open_mode(mode: Mode) -> str:
    return {"r": "reading", "w": "writing"}[mode]


print(open_mode("r"), open_mode("w"), MAX_RETRIES)
