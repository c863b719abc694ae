from abc import ABC, abstractmethod
from typing import Generic, Optional, TypeVar

T = TypeVar("T")


class Repository(ABC, Generic[T]):
    @abstractmethod
    def get(self, key: str) -> Optional[T]: ...

    @abstractmethod
    def put(self, key: str, value: T) -> None: ...


class MemoryRepository(Repository[T]):
    def __init__(self) -> None:
        self._data: dict[str, T] = {}

    def get(self, key: str) -> Optional[T]:
        return self._data.get(key)

    def put(self, key: str, value: T) -> None:
        self._data[key] = value


repo: Repository[int] = MemoryRepository()
repo.put("a", 1)
print(repo.get("a"), repo.get("b"))
