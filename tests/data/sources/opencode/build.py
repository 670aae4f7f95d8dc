"""Hand-made OpenCode data for tests: a database with OpenCode's schema (the writer's DDL, taken
from ``packages/opencode/src/session/session.sql.ts``) and the legacy JSON tree, row by row."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from bench.writers.opencode import SCHEMA

T0 = 1_780_000_000_000
"""2026-05-28T20:26:40Z in epoch milliseconds."""


def tokens(
    inp: int = 0,
    out: int = 0,
    reasoning: int = 0,
    read: int = 0,
    write: int = 0,
    *,
    total: int | None = None,
) -> dict[str, Any]:
    record: dict[str, Any] = {
        "input": inp,
        "output": out,
        "reasoning": reasoning,
        "cache": {"read": read, "write": write},
    }
    if total is not None:
        record["total"] = total
    return record


def assistant(
    created: int,
    toks: dict[str, Any],
    *,
    model: str = "claude-sonnet-4-5",
    provider: str = "anthropic",
    cost: float = 0,
    completed: int | None = None,
    cwd: str = "/home/dev/src/atlas",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "role": "assistant",
        "time": {"created": created, "completed": completed or created + 5000},
        "parentID": "msg_user",
        "modelID": model,
        "providerID": provider,
        "mode": "build",
        "agent": "build",
        "path": {"cwd": cwd, "root": cwd},
        "cost": cost,
        "tokens": toks,
        "finish": "stop",
        **extra,
    }


def user(created: int, agent: str = "build") -> dict[str, Any]:
    return {
        "role": "user",
        "time": {"created": created},
        "agent": agent,
        "model": {"providerID": "anthropic", "modelID": "claude-sonnet-4-5"},
    }


def step(toks: dict[str, Any], cost: float = 0) -> dict[str, Any]:
    return {"type": "step-finish", "reason": "tool-calls", "cost": cost, "tokens": toks}


def tool(name: str, call_id: str, **tool_input: Any) -> dict[str, Any]:
    return {
        "type": "tool",
        "tool": name,
        "callID": call_id,
        "state": {
            "status": "completed",
            "input": tool_input,
            "output": "ok",
            "title": name,
            "metadata": {},
            "time": {"start": T0, "end": T0 + 1},
        },
    }


def text(value: str, **extra: Any) -> dict[str, Any]:
    return {"type": "text", "text": value, **extra}


def compact(data: Any) -> str:
    """JSON as OpenCode writes it into the database (``JSON.stringify``: no spaces)."""
    return json.dumps(data, separators=(",", ":"))


class Database:
    """An OpenCode database being written by a test."""

    def __init__(self, path: Path, *, wal: bool = False, schema: str = SCHEMA) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.connection = sqlite3.connect(path)
        if wal:
            self.connection.execute("PRAGMA journal_mode = WAL")
        self.connection.executescript(schema)

    def session(self, sid: str, *, parent: str | None = None, directory: str = "/home/dev") -> None:
        self.connection.execute(
            "INSERT INTO session (id, project_id, parent_id, slug, directory, title, version,"
            " time_created, time_updated) VALUES (?, 'global', ?, 's', ?, 't', '1.2.6', ?, ?)",
            (sid, parent, directory, T0, T0),
        )

    def message(self, mid: str, sid: str, data: dict[str, Any] | str, created: int = T0) -> None:
        blob = data if isinstance(data, str) else compact(data)
        self.connection.execute(
            "INSERT INTO message VALUES (?, ?, ?, ?, ?)", (mid, sid, created, created, blob)
        )

    def part(
        self, pid: str, mid: str, sid: str, data: dict[str, Any] | str, created: int = T0
    ) -> None:
        blob = data if isinstance(data, str) else compact(data)
        self.connection.execute(
            "INSERT INTO part VALUES (?, ?, ?, ?, ?, ?)", (pid, mid, sid, created, created, blob)
        )

    def v2(self, rid: str, sid: str, kind: str, data: dict[str, Any], created: int = T0) -> None:
        self.connection.execute(
            "INSERT INTO session_message VALUES (?, ?, ?, ?, ?, ?)",
            (rid, sid, kind, created, created, compact(data)),
        )

    def close(self) -> None:
        self.connection.commit()
        self.connection.close()


def legacy_session(storage: Path, sid: str, *, parent: str | None = None) -> Path:
    data: dict[str, Any] = {"id": sid, "projectID": "global", "directory": "/home/dev/old"}
    if parent:
        data["parentID"] = parent
    return write_json(storage / "session" / "global" / f"{sid}.json", data)


def legacy_message(storage: Path, sid: str, mid: str, data: dict[str, Any]) -> Path:
    return write_json(
        storage / "message" / sid / f"{mid}.json", {"id": mid, "sessionID": sid, **data}
    )


def legacy_part(storage: Path, mid: str, pid: str, data: dict[str, Any]) -> Path:
    return write_json(storage / "part" / mid / f"{pid}.json", {"id": pid, "messageID": mid, **data})


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path
