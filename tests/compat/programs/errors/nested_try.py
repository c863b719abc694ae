def risky(n):
    try:
        try:
            if n == 0:
                raise ZeroDivisionError("zero")
            if n < 0:
                raise ValueError("negative")
            return 10 / n
        except ZeroDivisionError:
            print("inner caught zero")
            raise
        finally:
            print(f"inner finally {n}")
    except ArithmeticError as e:
        print("outer caught", type(e).__name__)
        return None


for n in (2, 0):
    print(risky(n))
try:
    risky(-1)
except ValueError as e:
    print("escaped:", e)
