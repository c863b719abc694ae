import string

lower = string.ascii_lowercase
upper = string.ascii_uppercase
shift = 3
table = str.maketrans(lower + upper, lower[shift:] + lower[:shift] + upper[shift:] + upper[:shift])
print("Hello, World!".translate(table))
print("xyz".translate(table))
