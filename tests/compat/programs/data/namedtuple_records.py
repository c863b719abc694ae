from collections import namedtuple

Employee = namedtuple("Employee", ["name", "title", "salary"])
staff = [
    Employee("Ann", "Engineer", 120000),
    Employee("Bob", "Designer", 95000),
    Employee("Cid", "Engineer", 105000),
]
print(staff[0])
print(staff[0].name, staff[0][2])
engineers = [e for e in staff if e.title == "Engineer"]
print(sum(e.salary for e in engineers) / len(engineers))
raised = staff[1]._replace(salary=100000)
print(raised, raised._asdict())
print(Employee._fields)
