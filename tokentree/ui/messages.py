"""Messages the explorer's workers post (past-tense events; handlers own all state changes).

Bursty ones (progress, file changes) define ``can_replace`` so a burst coalesces into one
update, as toolong does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from tokentree.data.info import NodeInfo
    from tokentree.data.ingest import IngestReport
    from tokentree.model.tree import Node, NodePath


@dataclass
class LoadProgress(Message):
    """Files and bytes read so far by the running refresh."""

    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LoadProgress)


@dataclass
class DataRefreshed(Message):
    """A refresh finished; ``version`` changes when the data did."""

    report: IngestReport
    version: int
    reason: str = "user"
    """``initial``, ``user`` (``r``) or ``live`` (the watcher)."""
    generation: int = 0
    """Which data set it was (stale after the demo replaced an empty one)."""


@dataclass
class RefreshFailed(Message):
    """A refresh (or opening the workspace) raised."""

    error: str
    generation: int = 0
    reason: str = "user"
    kind: str = "Exception"
    """The exception's class name (``ValueError``: bad options)."""


@dataclass
class LevelLoaded(Message):
    """The rows of one level (and fresh nodes on its path) were read."""

    path: NodePath
    version: int
    children: list[Node]
    path_nodes: list[Node] | None = None
    """Set on reloads: the ancestors' fresh totals (shorter when the path vanished)."""


@dataclass
class InfoLoaded(Message):
    path: NodePath
    info: NodeInfo | None = None
    error: str | None = None


@dataclass
class ExportFinished(Message):
    target: Path | None = None
    error: str | None = None


@dataclass
class FilesChanged(Message):
    """The watcher saw transcripts change (coalesced: the union of paths)."""

    paths: frozenset[Path] = field(default_factory=frozenset)

    def can_replace(self, message: Message) -> bool:
        if isinstance(message, FilesChanged):
            self.paths = self.paths | message.paths
            return True
        return False


@dataclass
class ActivityLoaded(Message):
    """The estimated activity split of the rows of one level, by row id."""

    path: NodePath
    version: int
    activity: dict[str, Any]


@dataclass
class InsightsLoaded(Message):
    path: NodePath
    insights: list[dict[str, Any]]
