class Employee:
    raise_pct = 1.04
    headcount = 0

    def __init__(self, name: str, pay: int) -> None:
        self.name = name
        self.pay = pay
        Employee.headcount += 1

    def apply_raise(self) -> None:
        self.pay = int(self.pay * self.raise_pct)


e1 = Employee("a", 50000)
e2 = Employee("b", 60000)
e2.raise_pct = 1.10
e1.apply_raise()
e2.apply_raise()
print(e1.pay, e2.pay, Employee.headcount, Employee.raise_pct)
print("raise_pct" in e2.__dict__, "raise_pct" in e1.__dict__)
