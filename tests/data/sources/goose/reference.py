"""An independent, plain reader of Goose's ``sessions.db`` (no tokentree imports): one call per
session with usage, dated by its ``created_at``; the running sums when the session has them;
Goose's input holds the cache, so uncached input is input − cache read − cache write; output
gains whatever the total holds beyond input and output; sub-agent sessions belong to the session
that started them."""

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
        db.close()
        parents = {
            r["id"]: r["parent_session_id"]
            for r in rows
            if r.get("parent_session_id") and r.get("session_type") in ("sub_agent", "specialist")
        }
        for r in rows:
            acc = [r.get(f"accumulated_{k}_tokens") or 0 for k in ("input", "output", "total")]
            if any(acc):
                inp, out, total = acc
                read = r.get("accumulated_cache_read_tokens") or 0
                write = r.get("accumulated_cache_write_tokens") or 0
            else:
                inp, out, total = (r.get(f"{k}_tokens") or 0 for k in ("input", "output", "total"))
                read, write = r.get("cache_read_tokens") or 0, r.get("cache_write_tokens") or 0
            if not (inp or out or total):
                continue
            if read + write <= inp:
                inp -= read + write
                total_input = inp + read + write
            else:
                total_input = inp
            out += max(total - total_input - out, 0)
            top = r["id"]
            while top in parents:
                top = parents[top]
            created = datetime.fromisoformat(r["created_at"].replace(" ", "T")).replace(tzinfo=UTC)
            calls.append(Call(r["id"], top, created, inp, out, read, write))
    return calls


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
