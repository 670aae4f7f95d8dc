"""An independent, plain reader of Goose's ``sessions.db`` (no tokentree imports): a call per
``usage_ledger`` row, dated by its ``created_timestamp`` (a ``carried_forward`` row by the
session's ``created_at``), and one per session for what its running sums hold beyond its ledger
rows (all of them for a session without rows, or its latest request's counters when it has no
sums), dated by its ``created_at``. Goose's input holds the cache, so uncached input is input −
cache read − cache write; output gains whatever the total holds beyond input and output;
sub-agent sessions belong to the session that started them."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass
class Call:
    id: str
    session: str
    ts: datetime
    input: int
    output: int
    cache_read: int
    cache_write: int


def _databases(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("sessions.db") if p.parent.name == "sessions")


def read_calls(root: Path) -> list[Call]:
    calls: list[Call] = []
    for path in _databases(root):
        uri = f"file:{path}?mode=ro" + ("" if Path(f"{path}-wal").exists() else "&immutable=1")
        db = sqlite3.connect(uri, uri=True)
        db.row_factory = sqlite3.Row
        rows = [dict(r) for r in db.execute("SELECT * FROM sessions")]
        ledger = _ledger(db)
        db.close()
        parents = {
            r["id"]: r["parent_session_id"]
            for r in rows
            if r.get("parent_session_id") and r.get("session_type") in ("sub_agent", "specialist")
        }
        for r in rows:
            top = r["id"]
            while top in parents:
                top = parents[top]
            created = datetime.fromisoformat(r["created_at"].replace(" ", "T")).replace(tzinfo=UTC)
            names = ("input", "output", "total", "cache_read", "cache_write")
            mine = ledger.get(r["id"], [])
            for row in mine:
                counters = [row.get(f"{k}_tokens") or 0 for k in names]
                when = (
                    created
                    if row.get("cost_source") == "carried_forward"
                    else datetime.fromtimestamp(row["created_timestamp"], UTC)
                )
                _add(calls, f"{r['id']}#{row['id']}", top, when, counters)
            acc = [r.get(f"accumulated_{k}_tokens") or 0 for k in names]
            if mine:
                used = [sum(row.get(f"{k}_tokens") or 0 for row in mine) for k in names]
                counters = [max(a - u, 0) for a, u in zip(acc, used, strict=True)]
            elif any(acc[:3]):
                counters = acc
            else:
                counters = [r.get(f"{k}_tokens") or 0 for k in names]
            _add(calls, r["id"], top, created, counters)
    return calls


def _ledger(db: sqlite3.Connection) -> dict[str, list[dict]]:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "usage_ledger" not in tables:
        return {}
    found: dict[str, list[dict]] = {}
    for row in db.execute("SELECT * FROM usage_ledger ORDER BY created_timestamp, id"):
        found.setdefault(row["session_id"], []).append(dict(row))
    return found


def _add(calls: list[Call], key: str, session: str, ts: datetime, counters: list[int]) -> None:
    """Goose's (input, output, total, cache read, cache write) as one additive call."""
    inp, out, total, read, write = counters
    if not (inp or out or total):
        return
    if read + write <= inp:
        inp -= read + write
        total_input = inp + read + write
    else:
        total_input = inp
    out += max(total - total_input - out, 0)
    calls.append(Call(key, session, ts, inp, out, read, write))


def day_totals(calls: list[Call]) -> dict[str, dict[str, int]]:
    days: dict[str, dict[str, int]] = {}
    for call in calls:
        day = days.setdefault(
            call.ts.date().isoformat(),
            {"input": 0, "output": 0, "cache_read": 0, "cache_write": 0},
        )
        for name in day:
            day[name] += getattr(call, name)
    return dict(sorted(days.items()))
