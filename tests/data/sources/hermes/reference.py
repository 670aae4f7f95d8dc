"""An independent, plain reader of Hermes state (no tokentree imports): one call per session with
usage, dated by its start, output as Hermes records it (reasoning inside), delegate subagents
under the session that started them."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass
class Call:
    id: str
    session: str
    sidechain: bool
    ts: datetime
    input: int
    output: int
    cache_read: int
    cache_write: int
    cost: float | None


def _databases(home: Path) -> list[Path]:
    found = [home / "state.db"] if (home / "state.db").is_file() else []
    return found + sorted((home / "profiles").glob("*/state.db"))


def read_calls(home: Path) -> list[Call]:
    calls: dict[str, Call] = {}
    for path in _databases(home):
        uri = f"file:{path}?mode=ro" + ("" if Path(f"{path}-wal").exists() else "&immutable=1")
        db = sqlite3.connect(uri, uri=True)
        db.row_factory = sqlite3.Row
        rows = [dict(r) for r in db.execute("SELECT * FROM sessions")]
        db.close()
        parents = {}
        for row in rows:
            config = json.loads(row.get("model_config") or "null") or {}
            if row.get("parent_session_id") and (
                row.get("source") == "subagent" or config.get("_delegate_from")
            ):
                parents[row["id"]] = row["parent_session_id"]
        for row in rows:
            counts = [
                row.get(k) or 0
                for k in (
                    "input_tokens",
                    "output_tokens",
                    "cache_read_tokens",
                    "cache_write_tokens",
                )
            ]
            stated = (row.get("actual_cost_usd"), row.get("estimated_cost_usd"))
            cost = next((c for c in stated if c and c > 0), None)
            if not any(counts) and cost is None:
                continue
            top = row["id"]
            while top in parents:
                top = parents[top]
            calls[row["id"]] = Call(
                row["id"],
                top,
                top != row["id"],
                datetime.fromtimestamp(row["started_at"], tz=UTC),
                *counts,
                cost,
            )
    return list(calls.values())


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
