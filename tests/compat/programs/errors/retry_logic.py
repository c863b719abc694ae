class TransientError(Exception):
    pass


attempts = {"n": 0}


def flaky():
    attempts["n"] += 1
    if attempts["n"] < 3:
        raise TransientError(f"attempt {attempts['n']} failed")
    return "success"


def retry(fn, tries=5):
    last = None
    for i in range(tries):
        try:
            return fn()
        except TransientError as e:
            print("retrying after:", e)
            last = e
    raise last


print(retry(flaky), attempts["n"])
