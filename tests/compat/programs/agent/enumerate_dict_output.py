scores = {"math": 90, "art": 75, "history": 82}
for rank, (subject, score) in enumerate(sorted(scores.items(), key=lambda kv: -kv[1]), 1):
    print(f"{rank}. {subject.title()}: {score}")
print("best:", max(scores, key=scores.get), "avg:", round(sum(scores.values()) / len(scores), 1))
