km = [1, 5, 10, 21.0975, 42.195]
for k in km:
    miles = k * 0.621371
    print(f"{k:8.3f} km = {miles:7.3f} mi")
c_values = range(-10, 41, 10)
print({c: round(c * 9 / 5 + 32, 1) for c in c_values})
