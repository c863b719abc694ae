import traceback


def inner():
    raise RuntimeError("deep problem")


try:
    inner()
except RuntimeError:
    text = traceback.format_exc()
    print(text.strip().splitlines()[-1])
    print("Traceback" in text)
