import statistics

data = [2.5, 3.1, 4.7, 2.5, 5.0, 3.8, 4.2, 2.5, 3.3]
print("mean", round(statistics.mean(data), 4))
print("median", statistics.median(data))
print("mode", statistics.mode(data))
print("stdev", round(statistics.stdev(data), 4))
print("pvariance", round(statistics.pvariance(data), 4))
print(statistics.median_low([1, 3, 5, 7]), statistics.median_high([1, 3, 5, 7]))
