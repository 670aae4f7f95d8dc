"""Hand-made Goose state for tests: ``sessions.db`` with Goose's schema (the writer's DDL, from
``crates/goose/src/session/session_manager.rs``), row by row."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from bench.writers.goose import SCHEMA

CREATED = "2026-05-28 20:26:40"
"""SQLite's ``CURRENT_TIMESTAMP`` form (UTC), as Goose's ``created_at`` default writes it."""
T0 = 1_780_000_000
"""2026-05-28T20:26:40Z in epoch seconds (``messages.created_timestamp``)."""


class Sessions:
    def __init__(self, path: Path, *, wal: bool = False, schema: str = SCHEMA) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.connection = sqlite3.connect(path)
        if wal:
            self.connection.execute("PRAGMA journal_mode = WAL")
        if schema:
            self.connection.executescript(schema)

    def session(self, sid: str, model: str | None = "claude-sonnet-4-5", **columns: Any) -> None:
        row: dict[str, Any] = {"id": sid, "working_dir": "/home/dev/src/api", "created_at": CREATED}
        if model is not None:
            row["model_config_json"] = json.dumps({"model_name": model, "context_limit": 200000})
        row.update(columns)
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        self.connection.execute(
            f"INSERT INTO sessions ({names}) VALUES ({marks})", list(row.values())
        )

    def message(
        self,
        sid: str,
        role: str,
        blocks: list[dict[str, Any]] | str,
        at: int = T0,
        metadata: str | None = None,
    ) -> None:
        raw = blocks if isinstance(blocks, str) else json.dumps(blocks)
        self.connection.execute(
            "INSERT INTO messages (session_id, role, content_json, created_timestamp,"
            " metadata_json) VALUES (?, ?, ?, ?, ?)",
            (sid, role, raw, at, metadata),
        )

    def ledger(
        self,
        sid: str,
        at: int,
        counters: tuple[int, int, int, int, int],
        model: str | None = "claude-sonnet-4-5-20250929",
        **columns: Any,
    ) -> None:
        """A ``usage_ledger`` row: (input with the cache, output, total, cache read, write)."""
        names = ("input_tokens", "output_tokens", "total_tokens")
        row: dict[str, Any] = {"session_id": sid, "created_timestamp": at, "model": model}
        row.update(zip((*names, "cache_read_tokens", "cache_write_tokens"), counters, strict=True))
        row.update(columns)
        self.connection.execute(
            f"INSERT INTO usage_ledger ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
            list(row.values()),
        )

    def close(self) -> None:
        self.connection.commit()
        self.connection.close()


def text(value: str) -> list[dict[str, Any]]:
    return [{"type": "text", "text": value}]


def tool(name: str, call_id: str = "toolu_1", **arguments: Any) -> dict[str, Any]:
    return {
        "type": "toolRequest",
        "id": call_id,
        "toolCall": {"status": "success", "value": {"name": name, "arguments": arguments}},
    }


def accumulated(
    inp: int, out: int, read: int = 0, write: int = 0, total: int | None = None
) -> dict:
    """A session's running sums as Goose keeps them: input holds the cache."""
    return {
        "accumulated_input_tokens": inp,
        "accumulated_output_tokens": out,
        "accumulated_total_tokens": inp + out if total is None else total,
        "accumulated_cache_read_tokens": read,
        "accumulated_cache_write_tokens": write,
    }
