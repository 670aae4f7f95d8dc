"""Which session live mode follows, and what it shows of it.

By default the most recently active session (the one with the latest call): when another
session starts making calls, live mode switches to it. ``--project NAME`` follows the latest
session of one project (its directory's name, or the project a source logged; case-insensitive,
a unique part of the name is enough), ``--session ID`` one session (an id or a unique prefix).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from tokentree.model.labels import project_name
from tokentree.model.tree import Node, NodePath
from tokentree.model.usage import Totals, sum_totals

if TYPE_CHECKING:
    from tokentree.data.live.queries import SessionRow

PROJECT_CANDIDATES = 500
"""How many of the most recent sessions ``--project`` looks through."""
LIVE_CALLS = 200
"""The current turn's latest calls live mode keeps (more than a pane shows): a turn of
thousands of calls is not turned into nodes and held on every refresh."""


@dataclass(frozen=True, slots=True)
class FollowSpec:
    session: str | None = None
    project: str | None = None

    @property
    def describe(self) -> str:
        if self.session:
            return f"session {self.session}"
        if self.project:
            return f"project {self.project}"
        return "the latest session"


def project_of(row: SessionRow) -> str:
    return row.project or project_name(row.cwd)


def pick_project(rows: list[SessionRow], wanted: str) -> SessionRow | None:
    """The most recent session of the project named ``wanted``: an exact name first (any
    case), else one containing it."""
    needle = wanted.casefold()
    exact = next((r for r in rows if project_of(r).casefold() == needle), None)
    return exact or next((r for r in rows if needle in project_of(r).casefold()), None)


@dataclass(frozen=True, slots=True)
class SessionView:
    """The followed session as live mode shows it."""

    id: str
    source: str
    marker: str
    """The source's short marker (``CC``, ``CX`` …)."""
    project: str
    first_prompt: str | None
    start: datetime | None
    end: datetime | None
    totals: Totals
    path: NodePath
    """Week, day and id of the session's latest day (where the explorer lists it)."""
    models: tuple[str, ...]
    turn: Node | None
    """The current (latest) turn."""
    calls: tuple[Node, ...] = ()
    """The current turn's latest calls (at most :data:`LIVE_CALLS`), oldest first."""
    earlier: int = 0
    """The current turn's calls before :attr:`calls`."""
    activity: dict[str, dict[str, float]] = field(default_factory=dict)
    """The estimated activity split of the whole session (once computed)."""


def session_view(
    sessions: list[Node], path: NodePath, turns: list[Node], calls: list[Node], earlier: int = 0
) -> SessionView:
    """A view from the session's nodes (one per day it spans), the ``path`` of its latest
    day, its turns and the current turn's latest calls (``earlier`` calls before them)."""
    last = sessions[-1]
    first = sessions[0]
    models = sorted({m for node in sessions for m in node.extra.get("models") or []})
    starts = [n.start for n in sessions if n.start]
    ends = [n.end for n in sessions if n.end]
    turn = max(turns, key=lambda n: (n.start.timestamp() if n.start else 0.0, n.id), default=None)
    return SessionView(
        id=last.id,
        source=str(last.extra.get("source") or ""),
        marker=str(last.extra.get("marker") or ""),
        project=str(last.extra.get("project") or "?"),
        first_prompt=first.extra.get("first_prompt"),
        start=min(starts, default=None),
        end=max(ends, default=None),
        totals=sum_totals([n.totals for n in sessions]),
        path=path,
        models=tuple(models),
        turn=turn,
        calls=tuple(calls),
        earlier=earlier,
    )
