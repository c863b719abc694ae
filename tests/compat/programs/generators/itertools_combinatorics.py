from itertools import combinations, combinations_with_replacement, permutations, product

print(list(combinations("ABCD", 2)))
print(len(list(permutations(range(5), 3))))
print(list(product([0, 1], repeat=3)))
print(list(combinations_with_replacement("ab", 2)))
dice = [a + b for a, b in product(range(1, 7), repeat=2)]
print({s: dice.count(s) for s in range(2, 13)})
