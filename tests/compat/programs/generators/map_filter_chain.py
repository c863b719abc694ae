words = ["Apple", "banana", "Cherry", "date", "Elderberry", "fig"]
result = list(map(str.upper, filter(lambda w: w[0].islower(), words)))
print(result)
lengths = list(map(len, words))
print(lengths, sum(lengths))
print(list(filter(None, [0, 1, "", "a", None, [], [0]])))
print(sorted(map(lambda w: w.lower(), words), key=len))
