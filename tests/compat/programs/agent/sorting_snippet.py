words = ["banana", "Apple", "cherry", "apple", "Banana"]
print(sorted(words))
print(sorted(words, key=str.lower))
print(sorted(words, key=lambda w: (len(w), w)))
print(sorted(set(w.lower() for w in words)))
nums = [3, -1, 4, -1, 5, -9]
print(sorted(nums, key=abs), sorted(nums, reverse=True))
