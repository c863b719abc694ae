x = 10
name = "widget"
ratio = 2 / 3
print(f"{x=}")
print(f"{name=!r}, {ratio=:.3f}")
print(f"{x * 2 = }")
