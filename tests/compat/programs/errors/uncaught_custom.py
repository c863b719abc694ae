class PaymentDeclined(Exception):
    pass


def charge(card, amount):
    print(f"charging {amount} to {card}")
    if amount > 100:
        raise PaymentDeclined("limit exceeded")


charge("visa", 50)
charge("visa", 500)
