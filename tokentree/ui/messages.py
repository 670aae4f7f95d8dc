"""Messages the explorer's workers post (past-tense events; handlers own all state changes).

Progress defines ``can_replace`` so a burst coalesces into one update, as toolong does (bursts
of changed files are coalesced by the refresh controller).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from tokentree.data.read.ingest import IngestReport
    from tokentree.data.source import SourceUsage
    from tokentree.data.tree.info import NodeInfo
    from tokentree.model.tree import Node, NodePath
    from tokentree.service.errors import ServiceError
    from tokentree.service.follow import SessionView
    from tokentree.service.hook import Kept
    from tokentree.service.refresh import Ticket
    from tokentree.service.summary import Summary


@dataclass
class LoadProgress(Message):
    """Files and bytes read so far by the refresh of ``ticket``."""

    ticket: Ticket
    files_done: int
    files_total: int
    bytes_done: int
    bytes_total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LoadProgress)


@dataclass
class DataRefreshed(Message):
    """The refresh of ``ticket`` finished; ``version`` changes when the data did."""

    ticket: Ticket
    report: IngestReport
    version: int


@dataclass
class FirstFrameRead(Message):
    """A split cold start of ``ticket`` read the weeks from ``since`` on (data ``version``);
    the older files are being read."""

    ticket: Ticket
    report: IngestReport
    version: int
    since: date


@dataclass
class RefreshFailed(Message):
    """The refresh of ``ticket`` (or opening the workspace) failed."""

    ticket: Ticket
    error: ServiceError


@dataclass
class LevelLoaded(Message):
    """The rows of one level (and fresh nodes on its path) were read."""

    path: NodePath
    version: int
    children: list[Node]
    path_nodes: list[Node] | None = None
    """Set on reloads: the ancestors' fresh totals (shorter when the path vanished)."""
    deepest_only: bool = False
    """The ancestors were not re-read: ``path_nodes`` holds only the path's last node, or is
    None when that node's totals are to be taken from ``children`` (a live re-read)."""


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
class SourcesLoaded(Message):
    """The sources read, for the source panel (``S``)."""

    usage: list[SourceUsage]


@dataclass
class SourcesApplied(Message):
    """Hidden sources changed; the derived tables were rebuilt as data ``version``."""

    version: int
    hidden: frozenset[str]


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


@dataclass
class SummaryCollected(Message):
    """The usage summary after a refresh of data ``version`` (live mode, budgets), with what
    Claude Code's status-line hook last said."""

    version: int
    summary: Summary
    kept: Kept


@dataclass
class LiveSessionLoaded(Message):
    """Live mode read the followed session (None: there is none) at data ``version``."""

    version: int
    view: SessionView | None


@dataclass
class LiveActivityLoaded(Message):
    """The estimated activity split of the followed ``session``."""

    version: int
    session: str
    activity: dict[str, Any]
