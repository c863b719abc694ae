import textwrap

text = ("The textwrap module provides some convenience functions, as well as "
        "TextWrapper, the class that does all the work.")
print(textwrap.fill(text, width=40))
print(textwrap.shorten(text, width=50, placeholder=" ..."))
print(textwrap.indent("a\nb\nc", "> "))
print(textwrap.dedent("""
    def f():
        return 1
""").strip())
