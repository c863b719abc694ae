from typing import Optional


class User:
    def __init__(self, name: str, manager: Optional["User"] = None) -> None:
        self.name = name
        self.manager = manager


def manager_name(u: Optional[User]) -> str:
    if u is None or u.manager is None:
        return "-"
    return u.manager.name


boss = User("Boss")
emp = User("Emp", boss)
print(manager_name(emp), manager_name(boss), manager_name(None))
