class Job:
    def __init__(self, name, retries=3):
        self.name = name
        self.retries = retries
        self.status = "queued"


j = Job("backup")
print(vars(j))
print(j.__dict__ == vars(j), sorted(vars(j)))
print(j.__class__.__name__, type(j).__name__, isinstance(j, Job))
