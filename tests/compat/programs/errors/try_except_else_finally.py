def divide(a, b):
    try:
        result = a / b
    except ZeroDivisionError as e:
        print(f"error: {e}")
        return None
    else:
        print("no error")
        return result
    finally:
        print("cleanup")


print(divide(10, 2))
print(divide(1, 0))
