phrases = ["Portable Network Graphics", "as soon as possible", "Complementary metal-oxide semiconductor",
           "Ruby on Rails", "HyperText Markup Language"]
for p in phrases:
    words = p.replace("-", " ").split()
    print(p, "->", "".join(w[0].upper() for w in words))
