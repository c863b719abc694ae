import random

random.seed(1234)
rolls = [random.randint(1, 6) for _ in range(100)]
print(len(rolls), all(1 <= r <= 6 for r in rolls))
x = random.random()
print(0 <= x < 1)
deck = list(range(52))
random.shuffle(deck)
print(sorted(deck) == list(range(52)), len(set(deck)))
hand = random.sample(deck, 5)
print(len(hand), len(set(hand)), all(c in deck for c in hand))
print(random.choice(["only"]))
print(1.0 <= random.uniform(1, 2) <= 2.0, random.randrange(0, 10, 5) in (0, 5))
