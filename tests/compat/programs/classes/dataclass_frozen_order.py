from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int = 0

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


versions = [Version(1, 2), Version(1, 10, 1), Version(0, 9, 9), Version(1, 2, 3)]
print([str(v) for v in sorted(versions)])
print(max(versions))
try:
    versions[0].major = 5
except AttributeError as e:
    print("frozen:", type(e).__name__)
print(len({Version(1, 0), Version(1, 0)}))
