def handle(command: str) -> str:
    match command.split():
        case ["go", direction]:
            return f"going {direction}"
        case ["take", *items] if items:
            return f"taking {', '.join(items)}"
        case ["quit" | "exit"]:
            return "bye"
        case []:
            return "nothing"
        case _:
            return f"unknown: {command}"


for c in ["go north", "take lamp key", "quit", "", "dance"]:
    print(handle(c))
