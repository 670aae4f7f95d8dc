"""Where the explorer is in the tree, and what it remembers about places it has been.

:class:`Navigator` is the path stack (the nodes from the root's child down to the current one)
plus ncdu's per-directory ``View``: the key of the selected row at every visited level, so going
back up lands on the child you came from and a re-sort or reload keeps the same row selected.
:class:`LevelCache` keeps a bounded number of loaded levels so browsing stays flat in memory.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Generic, TypeVar

from tokentree.model.node_path import path_filters
from tokentree.model.tree import LEVELS, Kind, Node, NodePath

FILTER_NAMES = ("week", "day", "session", "turn")
"""The store's parent filters, in path order."""

V = TypeVar("V")


def child_kind(path: NodePath) -> Kind:
    """The kind of the rows listed at ``path`` (weeks at the root)."""
    return LEVELS[min(len(path) + 1, len(LEVELS) - 1)]


def query_filters(path: NodePath) -> dict[str, Any]:
    """The store's ``level_rows`` filters for a path (days become dates)."""
    return path_filters(path[: len(FILTER_NAMES)])


def can_open(node: Node) -> bool:
    """Whether a node has a level below it (calls are leaves)."""
    return node.kind is not Kind.CALL and node.child_count > 0


class Bounded(Generic[V]):
    """A small least-recently-used mapping."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._items: OrderedDict[Any, V] = OrderedDict()

    def get(self, key: Any) -> V | None:
        if key not in self._items:
            return None
        self._items.move_to_end(key)
        return self._items[key]

    def put(self, key: Any, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Any) -> bool:
        return key in self._items


class LevelCache:
    """Loaded levels by path, valid for one data version; at most ``capacity`` levels."""

    def __init__(self, capacity: int = 8) -> None:
        self._levels: Bounded[tuple[int, list[Node]]] = Bounded(capacity)

    def get(self, path: NodePath, version: int) -> list[Node] | None:
        entry = self._levels.get(path)
        if entry is None or entry[0] != version:
            return None
        return entry[1]

    def put(self, path: NodePath, version: int, nodes: list[Node]) -> None:
        self._levels.put(path, (version, nodes))

    def clear(self) -> None:
        self._levels.clear()

    def __len__(self) -> int:
        return len(self._levels)


class Navigator:
    """The path stack and the remembered cursor of every visited level."""

    def __init__(self, memory: int = 512) -> None:
        self._stack: list[Node] = []
        self._cursor: Bounded[str] = Bounded(memory)

    @property
    def path(self) -> NodePath:
        return tuple(node.id for node in self._stack)

    @property
    def nodes(self) -> tuple[Node, ...]:
        """The nodes on the path, outermost first."""
        return tuple(self._stack)

    @property
    def current(self) -> Node | None:
        """The node whose children are listed (None at the root)."""
        return self._stack[-1] if self._stack else None

    @property
    def kind(self) -> Kind:
        """The kind of the listed rows."""
        return child_kind(self.path)

    @property
    def depth(self) -> int:
        return len(self._stack)

    def remember(self, key: str | None) -> None:
        """Record the selected row of the current level."""
        if key is not None:
            self._cursor.put(self.path, key)

    def remember_at(self, path: NodePath, key: str) -> None:
        """Record ``key`` as the selected row at ``path`` (for a jump there)."""
        self._cursor.put(path, key)

    def recall(self, path: NodePath | None = None) -> str | None:
        """The selected row last remembered at ``path`` (default: here)."""
        return self._cursor.get(self.path if path is None else path)

    def descend(self, node: Node) -> None:
        """Open ``node``: remember it as this level's selection and go below it."""
        self.remember(node.key)
        self._stack.append(node)

    def ascend(self) -> str | None:
        """Go to the parent level; returns the key of the node we came from."""
        if not self._stack:
            return None
        left = self._stack.pop()
        self.remember(left.key)
        return left.key

    def goto(self, nodes: list[Node]) -> None:
        """Jump to a path (e.g. after a reload refreshed the ancestors' totals)."""
        self._stack = list(nodes)
