from typing import Any, cast

raw: Any = {"count": "5"}
count = int(cast(dict, raw)["count"])
print(count + 1)
value = cast(int, "not really")
print(value)
