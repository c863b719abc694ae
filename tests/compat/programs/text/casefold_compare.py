words = ["Straße", "STRASSE", "Apple", "apple", "ÉCOLE", "école"]
print([w.casefold() for w in words])
print("Straße".casefold() == "STRASSE".casefold())
print(sorted(words, key=str.casefold))
print("ÉCOLE".lower() == "école")
