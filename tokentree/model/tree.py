"""Tree nodes: Week → Day → Session → Turn → Call.

A node carries its totals and, once loaded, its children. Nodes are plain data; building them
from the store and laying them out are other modules' jobs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from tokentree.model.usage import Totals


class Kind(StrEnum):
    ROOT = "root"
    WEEK = "week"
    DAY = "day"
    SESSION = "session"
    TURN = "turn"
    CALL = "call"

    @property
    def depth(self) -> int:
        return LEVELS.index(self)

    @property
    def child(self) -> Kind | None:
        """The kind of this kind's children (None for calls)."""
        index = LEVELS.index(self)
        return LEVELS[index + 1] if index + 1 < len(LEVELS) else None


LEVELS: tuple[Kind, ...] = (Kind.ROOT, Kind.WEEK, Kind.DAY, Kind.SESSION, Kind.TURN, Kind.CALL)
"""The drill-down order, root first."""

NodePath = tuple[str, ...]
"""Ids from the root's child down to a node: ``("2026-W47", "2026-11-20", "<session>")``."""


@dataclass(slots=True)
class Node:
    """One row of the tree at any level."""

    kind: Kind
    id: str
    label: str
    totals: Totals
    start: datetime | None = None
    end: datetime | None = None
    child_count: int = 0
    """Number of children (known even when the children are not loaded)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Kind-specific fields: ``source``, ``project``, ``model``, ``tools`` …"""
    children: list[Node] | None = None
    """Loaded children in chronological order, or None when not loaded."""

    @property
    def key(self) -> str:
        """Identity of the node among its siblings (used to keep the cursor across sorts)."""
        return self.id
