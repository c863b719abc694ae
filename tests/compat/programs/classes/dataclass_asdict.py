from dataclasses import asdict, astuple, dataclass, fields, replace


@dataclass
class Point:
    x: float
    y: float


@dataclass
class Segment:
    start: Point
    end: Point
    label: str = ""


s = Segment(Point(0, 0), Point(3, 4), "hyp")
print(asdict(s))
print(astuple(s))
print([f.name for f in fields(s)])
print(replace(s, label="moved"))
