import string

print(string.ascii_letters)
print(string.digits, string.hexdigits, string.punctuation)
print(string.capwords("hello   wide world"))
t = string.Template("$who likes ${what}")
print(t.substitute(who="tim", what="kung pao"))
print(t.safe_substitute(who="ann"))
