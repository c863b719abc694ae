import textwrap

items = {"intro": "A short paragraph that is long enough to wrap at least once at width thirty.",
         "end": "Fin."}
for title, body in items.items():
    print(title.upper())
    print(textwrap.fill(body, width=30, initial_indent="  ", subsequent_indent="  "))
