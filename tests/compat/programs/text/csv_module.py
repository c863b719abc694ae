import csv
import io

data = 'id,name,note\n1,Widget,"cheap, cheerful"\n2,Gadget,"says ""hi"""\n'
reader = csv.DictReader(io.StringIO(data))
rows = list(reader)
for r in rows:
    print(r["id"], r["name"], r["note"])

out = io.StringIO()
writer = csv.writer(out)
writer.writerow(["a", "b,c", 'd"e'])
print(out.getvalue().strip())
