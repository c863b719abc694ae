from typing import get_type_hints, Optional


class Config:
    host: str
    port: int
    timeout: Optional[float]


hints = get_type_hints(Config)
print({k: getattr(v, "__name__", str(v)) for k, v in hints.items() if k != "timeout"})
print("timeout" in hints)
