"""Goose's conversation (``messages``) as tokentree uses it: the tools each assistant message
requested and the typed user messages (prompts), each with its time (``created_timestamp``,
epoch seconds). Goose also files tool results as user messages and keeps some messages from the
user (metadata ``userVisible`` false): neither is a prompt."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from tokentree.data.read import sqlite_ro
from tokentree.data.sources.goose import content
from tokentree.data.sources.goose.usage import timestamp
from tokentree.data.sqlfiles import sql

PACKAGE = __package__
VISIBLE = (
    "CASE WHEN json_valid(metadata_json)"
    " THEN coalesce(json_extract(metadata_json, '$.userVisible'), 1) ELSE 1 END != 0"
)

Timed = list[tuple[datetime | None, Any]]
"""Per session, (message time, what it holds) in message order."""


def column(present: set[str], name: str) -> str:
    return name if name in present else "NULL"


def _order(present: set[str]) -> str:
    return ", ".join(c for c in ("created_timestamp", "id") if c in present) or "rowid"


def tools(connection: sqlite3.Connection) -> dict[str, Timed]:
    present = sqlite_ro.columns(connection, "messages")
    if not {"session_id", "role", "content_json"} <= present:
        return {}
    found: dict[str, Timed] = {}
    query = sql(
        "tool_requests",
        package=PACKAGE,
        timestamp=column(present, "created_timestamp"),
        order=_order(present),
    )
    for session_id, ts, raw in connection.execute(query):
        if isinstance(session_id, str):
            found.setdefault(session_id, []).append((timestamp(ts), content.tools(raw)))
    return found


def prompts(connection: sqlite3.Connection, ledgered: bool) -> dict[str, Timed]:
    present = sqlite_ro.columns(connection, "messages")
    if not {"session_id", "role", "content_json"} <= present:
        return {}
    query = sql(
        "user_texts",
        package=PACKAGE,
        timestamp=column(present, "created_timestamp"),
        order=_order(present),
        visible=VISIBLE if "metadata_json" in present else "1",
        ledgered="OR session_id IN (SELECT session_id FROM usage_ledger)" if ledgered else "",
    )
    found: dict[str, Timed] = {}
    for session_id, ts, raw in connection.execute(query):
        text = content.text(raw)
        if isinstance(session_id, str) and text is not None:
            found.setdefault(session_id, []).append((timestamp(ts), text))
    return found
