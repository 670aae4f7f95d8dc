"""Hermes' ``state.db``: one call per session, labelled as the session's total.

Hermes keeps durable usage only per session (``sessions``: input, output, cache read/write,
reasoning tokens and costs, updated after every API call), so the session *is* the call: its
``call_id`` is the Hermes session id, ``session_total`` marks it, its time is the session's
start. Token semantics (``agent/usage_pricing.py`` ``normalize_usage``): ``input_tokens``
excludes cache reads and writes, ``output_tokens`` is the provider's output count, which already
includes reasoning — ``reasoning_tokens`` is the part of it that was reasoning (Hermes prices
output only). Cost: ``actual_cost_usd`` when positive, else ``estimated_cost_usd`` when
positive, else none (tokentree prices the tokens).

A subagent run (``delegate_task``) is a child session (``parent_session_id``, ``source`` =
``subagent`` or a ``_delegate_from`` marker): its call joins the session that started it as a
sidechain. Compression continuations are child sessions too, with their own counters: they stay
sessions of their own, as Hermes lists them. The tools of a session's assistant messages and its
first user message (the session's label) come from ``messages``.
"""

from __future__ import annotations

import json
import math
import sqlite3
from datetime import UTC, datetime
from typing import Any

from tokentree.data.read import sqlite_ro
from tokentree.data.source import RawRows, StoreFormat
from tokentree.data.sources.hermes import paths, tools
from tokentree.data.sqlfiles import sql

PACKAGE = __package__
SESSION_COLUMNS = (
    "source",
    "model",
    "parent_session_id",
    "model_config",
    "started_at",
    "cwd",
    "git_repo_root",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "reasoning_tokens",
    "estimated_cost_usd",
    "actual_cost_usd",
)
TEXT_LIMIT = 4000
JSON_CONTENT = "\x00json:"
"""Prefix of a message whose content is a JSON list of parts."""


def _tokens(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    if isinstance(value, float) and not math.isfinite(value):
        return 0
    return max(int(value), 0)


def _positive(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value > 0 else None


def _time(value: Any) -> datetime | None:
    """``started_at`` is epoch seconds (REAL); values that look like milliseconds are scaled."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    seconds = value / 1000 if value > 1e12 else value
    if seconds <= 0:
        return None
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _is_delegate(source: Any, model_config: Any) -> bool:
    if source == "subagent":
        return True
    if isinstance(model_config, str) and "_delegate_from" in model_config:
        try:
            config = json.loads(model_config)
        except ValueError:
            return False
        return isinstance(config, dict) and config.get("_delegate_from") is not None
    return False


def _prompt_text(content: Any) -> str | None:
    """A user message's text (structured content: its text parts joined)."""
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    if not isinstance(content, str):
        return None
    if content.startswith(JSON_CONTENT):
        try:
            items = json.loads(content[len(JSON_CONTENT) :])
        except ValueError:
            return None
        texts = [
            item["text"]
            for item in (items if isinstance(items, list) else [])
            if isinstance(item, dict) and isinstance(item.get("text"), str)
        ]
        content = "\n".join(texts)
    return _text(content[:TEXT_LIMIT])


def _column(present: set[str], name: str) -> str:
    return name if name in present else "NULL"


def _session_tools(connection: sqlite3.Connection) -> dict[str, list[dict[str, str | None]]]:
    present = sqlite_ro.columns(connection, "messages")
    if not {"session_id", "role", "tool_calls"} <= present:
        return {}
    order = ", ".join(c for c in ("timestamp", "id") if c in present) or "rowid"
    found: dict[str, list[dict[str, str | None]]] = {}
    for session_id, raw in connection.execute(sql("tool_calls", package=PACKAGE, order=order)):
        if isinstance(session_id, str):
            found.setdefault(session_id, []).extend(tools.parse(raw))
    return found


def _first_prompts(connection: sqlite3.Connection) -> dict[str, tuple[datetime | None, str]]:
    present = sqlite_ro.columns(connection, "messages")
    if not {"session_id", "role", "content"} <= present:
        return {}
    query = sql(
        "first_prompts",
        package=PACKAGE,
        timestamp=_column(present, "timestamp"),
        limit=4 * TEXT_LIMIT,
    )
    found: dict[str, tuple[datetime | None, str]] = {}
    for session_id, ts, content in connection.execute(query):
        text = _prompt_text(content)
        if isinstance(session_id, str) and text is not None:
            found[session_id] = (_time(ts), text)
    return found


def read_state(path: str) -> RawRows:
    """One session-total call (and a prompt) per Hermes session with usage."""
    rows = RawRows()
    profile = paths.profile(path)
    with sqlite_ro.open_readonly(path) as connection:
        present = sqlite_ro.columns(connection, "sessions")
        if "id" not in present:
            return rows
        query = sql(
            "sessions",
            package=PACKAGE,
            **{name: _column(present, name) for name in SESSION_COLUMNS},
        )
        sessions = [
            dict(zip(("id", *SESSION_COLUMNS), row, strict=True))
            for row in connection.execute(query)
        ]
        session_tools = _session_tools(connection)
        prompts = _first_prompts(connection)
    parents = {
        s["id"]: s["parent_session_id"]
        for s in sessions
        if isinstance(s["parent_session_id"], str) and _is_delegate(s["source"], s["model_config"])
    }
    for session in sessions:
        rows.records += 1
        sid = session["id"]
        if not isinstance(sid, str) or not sid:
            rows.skipped += 1
            continue
        counts = [
            _tokens(session[name])
            for name in ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens")
        ]
        stated = _positive(session["actual_cost_usd"]) or _positive(session["estimated_cost_usd"])
        if not any(counts) and stated is None:
            continue  # a session that never reached the model
        started = _time(session["started_at"])
        if started is None:
            rows.skipped += 1
            continue
        root = _root(sid, parents)
        sidechain = root != sid
        cwd = _text(session["cwd"]) or _text(session["git_repo_root"])
        rows.calls.append(
            {
                "call_id": sid,
                "dedup_key": sid,
                "session_id": root,
                "agent_id": sid if sidechain else None,
                "is_sidechain": sidechain,
                "session_total": True,
                "ts": started,
                "model": _text(session["model"]),
                "input": counts[0],
                "output": counts[1],
                "cache_read": counts[2],
                "cache_write_5m": counts[3],
                "reasoning": _tokens(session["reasoning_tokens"]),
                "cwd": cwd,
                "project": profile or "hermes",
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
                    "ts": min(ts, started) if ts is not None else started,
                    "is_sidechain": sidechain,
                    "texts": [text],
                    "cwd": cwd,
                }
            )
    return rows


def _root(session_id: str, parents: dict[str, str]) -> str:
    seen = {session_id}
    current = session_id
    while current in parents and parents[current] not in seen:
        current = parents[current]
        seen.add(current)
    return current


STATE_FORMAT = StoreFormat(name=paths.STATE, read=read_state, companions=("-wal",))
