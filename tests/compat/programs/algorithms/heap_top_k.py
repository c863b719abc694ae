import heapq

scores = [43, 12, 99, 5, 67, 88, 23, 99, 71, 34]
print(heapq.nlargest(3, scores))
print(heapq.nsmallest(3, scores))

words = ["pear", "fig", "banana", "kiwi", "apple", "cherry"]
print(heapq.nlargest(2, words, key=len))

heap = []
for s in scores:
    heapq.heappush(heap, s)
    if len(heap) > 4:
        heapq.heappop(heap)
print(sorted(heap))
