class ValidationError(Exception):
    pass


class MissingField(ValidationError):
    def __init__(self, field):
        super().__init__(f"missing field: {field}")
        self.field = field


class BadValue(ValidationError):
    pass


def validate(record):
    for f in ("name", "age"):
        if f not in record:
            raise MissingField(f)
    if not isinstance(record["age"], int) or record["age"] < 0:
        raise BadValue(f"bad age: {record['age']!r}")
    return True


for rec in [{"name": "a", "age": 3}, {"name": "b"}, {"name": "c", "age": -1}]:
    try:
        print(validate(rec))
    except MissingField as e:
        print("missing:", e.field)
    except ValidationError as e:
        print("invalid:", e)
