"""Read-only queries for live mode and the statusline's summary: the current periods' totals,
recent calls as time points, the sessions most recently active, and official limit readings.

Each reads the derived tables of the store's current build (``calls``, ``priced``; callers
build first and hold the store's lock) and returns plain values; what they mean is worked out
by :mod:`tokentree.model.blocks`, :mod:`tokentree.model.burn` and the service layer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from tokentree.data.sqlfiles import sql

if TYPE_CHECKING:
    from tokentree.data.store.store import UsageStore

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
RECENT_CALLS = 16
"""Calls per session whose ids the summary keeps (a transcript's tail may repeat them)."""


@dataclass(frozen=True, slots=True)
class PeriodRow:
    tokens: int
    cost_units: int
    calls: int
    unpriced: int


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: str
    last: float
    """The session's last call (POSIX seconds)."""
    source: str
    cwd: str | None
    project: str | None


@dataclass(frozen=True, slots=True)
class SessionTotalsRow:
    id: str
    source: str
    cwd: str | None
    project: str | None
    tokens: int
    cost_units: int
    calls: int
    unpriced: int
    last: float
    files: dict[str, int]
    """The session's files: path → bytes read so far."""


@dataclass(frozen=True, slots=True)
class LimitRow:
    source: str
    limit_id: str | None
    scope: str | None
    window_minutes: int | None
    used_percent: float
    resets_at: float | None
    at: float
    plan: str | None


def period_totals(
    store: UsageStore, day: date, week: str, week_start: date, month_start: date
) -> tuple[PeriodRow, PeriodRow, PeriodRow]:
    """Today's, this ISO week's and this month's usage (local dates of the store's view)."""
    params = {
        "day": day,
        "week": week,
        "week_start": week_start,
        "month_start": month_start,
    }
    row = (
        store.cursor().execute(sql("periods", package=__package__), params).fetchone() or (0,) * 12
    )
    values = [int(v or 0) for v in row]
    return (PeriodRow(*values[0:4]), PeriodRow(*values[4:8]), PeriodRow(*values[8:12]))


def block_anchors(store: UsageStore, sources: Iterable[str], since: datetime) -> dict[str, float]:
    """Per source, a call since ``since`` that certainly opens a 5-hour block (it follows a
    gap of five hours or more, or is the first since ``since``)."""
    rows = (
        store.cursor()
        .execute(sql("anchors", package=__package__), {"sources": sorted(sources), "since": since})
        .fetchall()
    )
    return {source: float(at) for source, at in rows if at is not None}


def call_times(store: UsageStore, source: str, since: datetime) -> list[float]:
    """The times of ``source``'s calls since ``since``, in order."""
    rows = (
        store.cursor()
        .execute(sql("times", package=__package__), {"source": source, "since": since})
        .fetchall()
    )
    return [float(at) for (at,) in rows]


def points_since(
    store: UsageStore, since: datetime
) -> list[tuple[float, int, int, str, int, float | None]]:
    """The calls since ``since`` by source and minute, in order: (first call's time, tokens,
    cost units, source, calls, last call's time or None for one call)."""
    rows = store.cursor().execute(sql("points", package=__package__), {"since": since}).fetchall()
    return [
        (float(at), int(tokens), int(units), source, int(calls), None if calls == 1 else last)
        for at, tokens, units, source, calls, last in rows
    ]


def latest_sessions(store: UsageStore, since: datetime | None, limit: int) -> list[SessionRow]:
    """The sessions with calls since ``since`` (None: ever), most recently active first."""
    params = {"since": since or EPOCH, "limit": limit}
    rows = store.cursor().execute(sql("latest", package=__package__), params).fetchall()
    return [SessionRow(sid, float(last), src, cwd, proj) for sid, last, src, cwd, proj in rows]


def session_totals(store: UsageStore, sessions: list[str]) -> list[SessionTotalsRow]:
    """All-time totals of ``sessions``, with their files and how far each was read."""
    if not sessions:
        return []
    cursor = store.cursor()
    rows = cursor.execute(sql("sessions", package=__package__), {"sessions": sessions}).fetchall()
    file_ids = sorted({file_id for row in rows for file_id in row[9] or []})
    offsets: dict[int, tuple[str, int]] = {}
    if file_ids:
        found = cursor.execute(
            "SELECT file_id, path, end_offset FROM files WHERE list_contains($ids, file_id)",
            {"ids": file_ids},
        ).fetchall()
        offsets = {file_id: (path, int(end or 0)) for file_id, path, end in found}
    return [
        SessionTotalsRow(
            sid,
            source,
            cwd,
            project,
            int(tokens),
            int(units),
            int(calls),
            int(unpriced),
            float(last),
            dict(offsets[f] for f in ids or [] if f in offsets),
        )
        for sid, source, cwd, project, tokens, units, calls, unpriced, last, ids in rows
    ]


def recent_calls(
    store: UsageStore, sessions: list[str], keep: int = RECENT_CALLS
) -> dict[str, list[tuple[str, str | None, int, int]]]:
    """The last ``keep`` calls of each session: (call id, model, tokens, cost units)."""
    if not sessions:
        return {}
    rows = (
        store.cursor()
        .execute(sql("recent_calls", package=__package__, keep=int(keep)), {"sessions": sessions})
        .fetchall()
    )
    found: dict[str, list[tuple[str, str | None, int, int]]] = {}
    for sid, call_id, model, tokens, units in rows:
        found.setdefault(sid, []).append((call_id, model, int(tokens), int(units)))
    return found


def limit_readings(store: UsageStore) -> list[LimitRow]:
    """The latest official reading of every limit (``raw_limits``)."""
    rows: list[Any] = store.cursor().execute(sql("limits", package=__package__)).fetchall()
    return [
        LimitRow(
            source,
            limit_id,
            scope,
            int(minutes) if minutes is not None else None,
            float(used),
            float(resets) if resets is not None else None,
            float(at),
            plan,
        )
        for source, limit_id, scope, minutes, used, resets, at, plan in rows
    ]


def sessions_with_prefix(store: UsageStore, prefix: str) -> list[str]:
    """At most two session ids starting with ``prefix`` (one: it names a session)."""
    rows = store.cursor().execute(sql("prefix", package=__package__), {"prefix": prefix}).fetchall()
    return [sid for (sid,) in rows]
