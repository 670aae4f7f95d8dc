"""Hand-made Hermes state for tests: ``state.db`` with Hermes' schema (the writer's DDL, a subset
of ``hermes_state_common.SCHEMA_SQL``), row by row."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from bench.writers.hermes import SCHEMA

STARTED = 1_780_000_000.5
"""2026-05-28T20:26:40.5Z in epoch seconds (Hermes writes REAL seconds)."""


class State:
    def __init__(self, path: Path, *, wal: bool = False, schema: str = SCHEMA) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.connection = sqlite3.connect(path)
        if wal:
            self.connection.execute("PRAGMA journal_mode = WAL")
        if schema:
            self.connection.executescript(schema)

    def session(self, sid: str, **columns: Any) -> None:
        row = {"id": sid, "source": "cli", "started_at": STARTED, **columns}
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.connection.execute(
            f"INSERT INTO sessions ({names}) VALUES ({marks})", list(row.values())
        )

    def message(
        self,
        sid: str,
        role: str,
        ts: float,
        content: str | None = None,
        tool_calls: list[dict[str, Any]] | None = None,
    ) -> None:
        self.connection.execute(
            "INSERT INTO messages (session_id, role, content, tool_calls, timestamp)"
            " VALUES (?, ?, ?, ?, ?)",
            (sid, role, content, json.dumps(tool_calls) if tool_calls else None, ts),
        )

    def close(self) -> None:
        self.connection.commit()
        self.connection.close()


def call(name: str, **arguments: Any) -> dict[str, Any]:
    return {
        "id": f"call_{name}",
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments)},
    }
