"""Goose's ``sessions.db``: one call per session, labelled as the session's total.

Goose keeps usage per session only (``sessions``, counters updated after every provider
response; see :mod:`.usage`), so the session *is* the call: ``call_id`` = the Goose session id,
``session_total`` set, its time the session's ``created_at``, its model the session's
``model_config_json.model_name`` (with ``provider_name``). A session that a sub-agent ran
(``session_type`` ``sub_agent``/``specialist``, with a ``parent_session_id``) joins the session
that started it as a sidechain. The tools of a session's assistant messages and its first typed
user message (the label) come from ``messages``. The database is opened read-only through
:mod:`tokentree.data.sqlite_ro`; columns a schema lacks read as NULL, a JSON column that is not
JSON is ignored, never fatal.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from typing import Any

from tokentree.data import sqlite_ro
from tokentree.data.pricing import qualified_model
from tokentree.data.source import RawRows, StoreFormat
from tokentree.data.sources.goose import content, paths
from tokentree.data.sources.goose.usage import cost, session_usage, timestamp
from tokentree.data.sqlfiles import sql

PACKAGE = __package__
COLUMNS = (
    "session_type",
    "working_dir",
    "created_at",
    "provider_name",
    "model_config_json",
    "parent_session_id",
    "accumulated_cost",
    "input_tokens",
    "output_tokens",
    "total_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "accumulated_input_tokens",
    "accumulated_output_tokens",
    "accumulated_total_tokens",
    "accumulated_cache_read_tokens",
    "accumulated_cache_write_tokens",
)
SUBAGENT_TYPES = frozenset({"sub_agent", "subagent", "specialist"})
PRICING_PROVIDERS = {"aws_bedrock": "bedrock", "gcp_vertex_ai": "vertex_ai"}
"""Goose's ids of the cloud platforms, in the spelling the price lookup knows: both bill Claude
and Gemini at the vendor's list price, and a model behind a provider the lookup does not know
stays unpriced."""


def _column(present: set[str], name: str) -> str:
    return name if name in present else "NULL"


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _model(config: Any, provider: Any) -> str | None:
    if isinstance(config, bytes):
        config = config.decode("utf-8", "replace")
    try:
        value = json.loads(config) if isinstance(config, str) else None
    except ValueError:
        return None
    name = _text(value.get("model_name")) if isinstance(value, dict) else None
    provider = _text(provider)
    return qualified_model(PRICING_PROVIDERS.get(provider or "", provider), name) if name else None


def _order(present: set[str]) -> str:
    return ", ".join(c for c in ("created_timestamp", "id") if c in present) or "rowid"


def _tools(connection: sqlite3.Connection) -> dict[str, list[dict[str, str | None]]]:
    present = sqlite_ro.columns(connection, "messages")
    if not {"session_id", "role", "content_json"} <= present:
        return {}
    found: dict[str, list[dict[str, str | None]]] = {}
    query = sql("tool_requests", package=PACKAGE, order=_order(present))
    for session_id, raw in connection.execute(query):
        if isinstance(session_id, str):
            found.setdefault(session_id, []).extend(content.tools(raw))
    return found


def _first_prompts(connection: sqlite3.Connection) -> dict[str, tuple[datetime | None, str]]:
    present = sqlite_ro.columns(connection, "messages")
    if not {"session_id", "role", "content_json"} <= present:
        return {}
    query = sql(
        "user_texts",
        package=PACKAGE,
        timestamp=_column(present, "created_timestamp"),
        order=_order(present),
    )
    found: dict[str, tuple[datetime | None, str]] = {}
    for session_id, ts, raw in connection.execute(query):
        if not isinstance(session_id, str) or session_id in found:
            continue
        text = content.text(raw)
        if text is not None:
            found[session_id] = (timestamp(ts), text)
    return found


def _root(session_id: str, parents: dict[str, str]) -> str:
    seen = {session_id}
    current = session_id
    while current in parents and parents[current] not in seen:
        current = parents[current]
        seen.add(current)
    return current


def read_sessions(path: str) -> RawRows:
    """One session-total call (and a prompt) per Goose session with usage."""
    rows = RawRows()
    with sqlite_ro.open_readonly(path) as connection:
        present = sqlite_ro.columns(connection, "sessions")
        if "id" not in present:
            return rows
        columns = ", ".join(f"{_column(present, name)} AS {name}" for name in COLUMNS)
        query = sql("sessions", package=PACKAGE, columns=columns)
        sessions = [
            dict(zip(("id", *COLUMNS), values, strict=True)) for values in connection.execute(query)
        ]
        session_tools = _tools(connection)
        prompts = _first_prompts(connection)
    parents = {
        s["id"]: s["parent_session_id"]
        for s in sessions
        if isinstance(s["parent_session_id"], str)
        and s["parent_session_id"]
        and s["session_type"] in SUBAGENT_TYPES
    }
    for session in sessions:
        rows.records += 1
        sid = session["id"]
        if not isinstance(sid, str) or not sid:
            rows.skipped += 1
            continue
        usage = session_usage(session)
        stated = cost(session["accumulated_cost"])
        if usage is None and stated is None:
            continue  # a session that never reached the model
        created = timestamp(session["created_at"])
        if created is None:
            rows.skipped += 1
            continue
        root = _root(sid, parents)
        sidechain = root != sid
        cwd = _text(session["working_dir"])
        rows.calls.append(
            {
                "call_id": sid,
                "dedup_key": sid,
                "session_id": root,
                "agent_id": sid if sidechain else None,
                "is_sidechain": sidechain,
                "session_total": True,
                "ts": created,
                "model": _model(session["model_config_json"], session["provider_name"]),
                "input": usage.input if usage else 0,
                "output": usage.output if usage else 0,
                "cache_read": usage.cache_read if usage else 0,
                "cache_write_5m": usage.cache_write if usage else 0,
                "reasoning": usage.reasoning if usage and usage.reasoning else None,
                "cwd": cwd,
                "project": "goose",
                "cost_usd": stated,
                "tools": session_tools.get(sid, []),
            }
        )
        if sid in prompts:
            ts, text = prompts[sid]
            rows.prompts.append(
                {
                    "uuid": f"{sid}#prompt",
                    "session_id": root,
                    "ts": min(ts, created) if ts is not None else created,
                    "is_sidechain": sidechain,
                    "texts": [text],
                    "cwd": cwd,
                }
            )
    return rows


SESSIONS_FORMAT = StoreFormat(name=paths.SESSIONS, read=read_sessions, companions=("-wal",))
