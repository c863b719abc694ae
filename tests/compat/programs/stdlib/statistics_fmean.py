import statistics as st

latencies = [120, 135, 98, 143, 110, 99, 300]
print(st.mean(latencies), st.median(latencies))
print(round(st.fmean(latencies), 3), st.quantiles(latencies, n=4))
print(round(st.pstdev(latencies), 3))
