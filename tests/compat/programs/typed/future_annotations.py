from __future__ import annotations


class Node:
    def __init__(self, value: int, children: list[Node] | None = None) -> None:
        self.value = value
        self.children = children or []

    def total(self) -> int:
        return self.value + sum(c.total() for c in self.children)


tree = Node(1, [Node(2), Node(3, [Node(4)])])
print(tree.total())
