from dataclasses import dataclass, fields


@dataclass
class Row:
    id: int
    name: str
    score: float


def coerce(cls, raw: dict[str, str]):
    kwargs = {f.name: f.type(raw[f.name]) if callable(f.type) else raw[f.name] for f in fields(cls)}
    return cls(**kwargs)


print(coerce(Row, {"id": "7", "name": "seven", "score": "7.5"}))
