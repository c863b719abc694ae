inputs = ["abc", "-4", "150", "42"]


def ask(prompts):
    for raw in prompts:
        try:
            value = int(raw)
            if not 0 <= value <= 120:
                raise ValueError(f"{value} out of range")
        except ValueError as e:
            print(f"invalid ({e}), try again")
            continue
        return value
    return None


print("accepted:", ask(inputs))
