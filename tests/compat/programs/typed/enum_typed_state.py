from enum import Enum


class OrderState(str, Enum):
    NEW = "new"
    PAID = "paid"
    SHIPPED = "shipped"


NEXT: dict[OrderState, OrderState] = {OrderState.NEW: OrderState.PAID, OrderState.PAID: OrderState.SHIPPED}

state = OrderState.NEW
while state in NEXT:
    print(state.value, "->", NEXT[state].value)
    state = NEXT[state]
print(OrderState("paid").name, OrderState.PAID == "paid")
