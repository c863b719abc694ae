print((1,), (), [1, [2, (3, 4)]], ([],), tuple("ab"), list((1, 2)))
print([None, True, 1.0, "s", b"b"], {"k": (1, "v")})
print(repr("it's"), repr('say "hi"'), repr("tab\there"), repr("nl\n"), str("x"))
print([1.0, 1e20, 1e-5, 0.1, float("inf"), -float("inf")])
