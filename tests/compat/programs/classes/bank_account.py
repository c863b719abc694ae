class InsufficientFunds(Exception):
    pass


class BankAccount:
    interest_rate = 0.02

    def __init__(self, owner: str, balance: float = 0.0) -> None:
        self.owner = owner
        self._balance = balance
        self.history: list[tuple[str, float]] = []

    @property
    def balance(self) -> float:
        return self._balance

    def deposit(self, amount: float) -> None:
        if amount <= 0:
            raise ValueError("deposit must be positive")
        self._balance += amount
        self.history.append(("deposit", amount))

    def withdraw(self, amount: float) -> None:
        if amount > self._balance:
            raise InsufficientFunds(f"cannot withdraw {amount:.2f}, balance is {self._balance:.2f}")
        self._balance -= amount
        self.history.append(("withdraw", amount))

    def __repr__(self) -> str:
        return f"BankAccount({self.owner!r}, {self._balance:.2f})"


acct = BankAccount("Ada", 100)
acct.deposit(50)
try:
    acct.withdraw(500)
except InsufficientFunds as e:
    print("Error:", e)
acct.withdraw(30)
print(acct, acct.balance, acct.history)
print(BankAccount.interest_rate, acct.interest_rate)
