from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional


@dataclass
class Endpoint:
    path: str
    methods: list[str] = field(default_factory=lambda: ["GET"])
    auth: Optional[str] = None


@dataclass
class Service:
    name: str
    endpoints: list[Endpoint] = field(default_factory=list)

    def add(self, ep: Endpoint) -> Service:
        self.endpoints.append(ep)
        return self


svc = Service("api").add(Endpoint("/users")).add(Endpoint("/admin", ["GET", "POST"], "token"))
for ep in svc.endpoints:
    print(ep)
