def chunks(seq, size):
    return [seq[i:i + size] for i in range(0, len(seq), size)]


data = list(range(1, 12))
print(chunks(data, 3))
print(chunks("abcdefgh", 3))
pairs = list(zip(data[::2], data[1::2]))
print(pairs)
