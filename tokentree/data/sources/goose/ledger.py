"""Goose's ``usage_ledger``: one row per provider response (schema 15 and later).

``record_usage_metrics`` (``session/session_manager.rs``) writes a row per response — its time
(``created_timestamp``, epoch seconds), the model the provider reported, the same counters as
the session's (input holding the cache; see :mod:`.usage`), Goose's cost and whether the request
compacted the conversation — and adds the same numbers to the session's running sums. The first
time a session that already had usage gets a row, Goose first writes a ``carried_forward`` row
(no model) holding what the sums counted before: the requests the ledger never saw.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tokentree.data.read import sqlite_ro
from tokentree.data.sources.goose.usage import Usage, request_usage, timestamp
from tokentree.data.sqlfiles import sql

PACKAGE = __package__
COLUMNS = (
    "id",
    "session_id",
    "created_timestamp",
    "model",
    "input_tokens",
    "output_tokens",
    "total_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "cost",
    "cost_source",
)
CARRIED = "carried_forward"


@dataclass(frozen=True, slots=True)
class Request:
    """One ledger row: a request, or (``carried``) the session's usage from before the ledger."""

    id: str
    ts: datetime | None
    model: str | None
    usage: Usage | None
    cost: Any
    carried: bool
    counters: dict[str, Any]
    """The row's raw counters (the session's unledgered rest is computed from them)."""


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def requests(connection: sqlite3.Connection) -> tuple[dict[str, list[Request]], int]:
    """Each session's ledger rows in order, and how many rows were unusable (no session)."""
    present = sqlite_ro.columns(connection, "usage_ledger")
    if "session_id" not in present:
        return {}, 0
    columns = ", ".join(f"{c if c in present else 'NULL'} AS {c}" for c in COLUMNS)
    found: dict[str, list[Request]] = {}
    broken = 0
    for values in connection.execute(sql("ledger", package=PACKAGE, columns=columns)):
        row = dict(zip(COLUMNS, values, strict=True))
        session = _text(row["session_id"])
        if session is None:
            broken += 1
            continue
        found.setdefault(session, []).append(
            Request(
                id=str(row["id"]),
                ts=timestamp(row["created_timestamp"]),
                model=_text(row["model"]),
                usage=request_usage(row),
                cost=row["cost"],
                carried=row["cost_source"] == CARRIED,
                counters=row,
            )
        )
    return found, broken
