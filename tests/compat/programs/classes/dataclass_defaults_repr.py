from dataclasses import dataclass, field
from typing import Optional


@dataclass
class Config:
    host: str = "localhost"
    port: int = 8080
    debug: bool = False
    allowed: list = field(default_factory=lambda: ["127.0.0.1"])
    secret: Optional[str] = field(default=None, repr=False)


c1 = Config()
c2 = Config(port=9000, secret="x")
c1.allowed.append("10.0.0.1")
print(c1)
print(c2)
print(c2.allowed, c1 == Config(allowed=["127.0.0.1", "10.0.0.1"]))
