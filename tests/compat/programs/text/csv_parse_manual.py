raw = """name,age,city
Alice,30,Paris
Bob,25,Berlin
Carol,35,Madrid
Dan,28,Paris"""

lines = raw.strip().splitlines()
header = lines[0].split(",")
rows = [dict(zip(header, line.split(","))) for line in lines[1:]]
for row in rows:
    row["age"] = int(row["age"])
print(rows[0])
print("average age:", sum(r["age"] for r in rows) / len(rows))
print("in Paris:", [r["name"] for r in rows if r["city"] == "Paris"])
