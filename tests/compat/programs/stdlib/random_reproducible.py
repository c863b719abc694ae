import random

random.seed(42)
first = [random.random() for _ in range(5)]
random.seed(42)
second = [random.random() for _ in range(5)]
print(first == second)
rng = random.Random(7)
a = [rng.randint(0, 100) for _ in range(3)]
rng2 = random.Random(7)
print(a == [rng2.randint(0, 100) for _ in range(3)])
print(len(random.choices("abc", k=10)))
