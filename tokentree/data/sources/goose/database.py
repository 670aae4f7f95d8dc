"""Goose's ``sessions.db``: a call per request where Goose's ledger has them, else one call per
session, labelled as the session's total.

Goose keeps usage per session (``sessions``, running sums updated after every provider response;
see :mod:`.usage`) and, since its schema 15, per request too (``usage_ledger``, see
:mod:`.ledger`). A ledgered request is a call of its own (``call_id`` = session id ``#`` ledger
row id, its time and model); a session's usage the ledger does not hold (its carried-forward row,
or whatever its sums hold beyond its rows) and a session without ledger rows are one call each,
``session_total`` set, dated at the session's ``created_at``, with the session's model
(``model_config_json.model_name`` qualified by ``provider_name``). A session that a sub-agent ran
(``session_type`` ``sub_agent``/``specialist``, with a ``parent_session_id``) joins the session
that started it as a sidechain. Tools come from the assistant messages (each to the first call
at or after the message), prompts from the typed user messages (the first labels a session
total; every one starts a turn of a ledgered session). The database is opened read-only through
:mod:`tokentree.data.read.sqlite_ro`; columns a schema lacks read as NULL, a JSON column that is not
JSON is ignored, never fatal.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tokentree.data.pricing.prices import qualified_model
from tokentree.data.read import sqlite_ro
from tokentree.data.source import RawRows, StoreFormat
from tokentree.data.sources.goose import messages, paths
from tokentree.data.sources.goose.ledger import Request, requests
from tokentree.data.sources.goose.messages import Timed
from tokentree.data.sources.goose.usage import (
    Usage,
    cost,
    session_usage,
    timestamp,
    unledgered_usage,
)
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


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _provider(value: Any) -> str | None:
    provider = _text(value)
    return PRICING_PROVIDERS.get(provider, provider) if provider else None


def _model(config: Any, provider: Any) -> str | None:
    if isinstance(config, bytes):
        config = config.decode("utf-8", "replace")
    try:
        value = json.loads(config) if isinstance(config, str) else None
    except ValueError:
        return None
    name = _text(value.get("model_name")) if isinstance(value, dict) else None
    return qualified_model(_provider(provider), name) if name else None


def _root(session_id: str, parents: dict[str, str]) -> str:
    seen = {session_id}
    current = session_id
    while current in parents and parents[current] not in seen:
        current = parents[current]
        seen.add(current)
    return current


@dataclass(frozen=True, slots=True)
class _Session:
    """What every call of one Goose session shares."""

    id: str
    root: str
    created: datetime | None
    provider: str | None
    model: str | None
    cwd: str | None

    @property
    def sidechain(self) -> bool:
        return self.root != self.id

    def call(
        self, key: str, ts: datetime, usage: Usage | None, model: str | None, stated: Any
    ) -> dict[str, Any]:
        return {
            "call_id": key,
            "dedup_key": key,
            "session_id": self.root,
            "agent_id": self.id if self.sidechain else None,
            "is_sidechain": self.sidechain,
            "ts": ts,
            "model": model or self.model,
            "input": usage.input if usage else 0,
            "output": usage.output if usage else 0,
            "cache_read": usage.cache_read if usage else 0,
            "cache_write_5m": usage.cache_write if usage else 0,
            "reasoning": usage.reasoning if usage and usage.reasoning else None,
            "cwd": self.cwd,
            "project": "goose",
            "cost_usd": cost(stated),
            "tools": [],
        }


def _session_calls(
    session: _Session, row: dict[str, Any], ledger: list[Request]
) -> tuple[list[tuple[datetime | None, dict[str, Any]]], int]:
    """The calls of one session, each with the time up to which its tools are its own (None:
    it asked for none), and how many ledger rows could not be dated."""
    calls: list[tuple[datetime | None, dict[str, Any]]] = []
    undated = 0
    for request in ledger:
        if request.usage is None and cost(request.cost) is None:
            continue
        if request.carried:  # the requests from before the ledger: dated with the session
            ts = session.created or request.ts
            if ts is not None:
                key = f"{session.id}#{request.id}"
                call = session.call(key, ts, request.usage, None, request.cost)
                call["session_total"] = True
                calls.append((request.ts, call))
                continue
        if request.ts is None:
            undated += 1
            continue
        model = qualified_model(session.provider, request.model) if request.model else None
        key = f"{session.id}#{request.id}"
        calls.append(
            (request.ts, session.call(key, request.ts, request.usage, model, request.cost))
        )
    rest = unledgered_usage(row, [r.counters for r in ledger]) if ledger else session_usage(row)
    stated = None if ledger else row["accumulated_cost"]
    first = next((ts for ts, _ in calls if ts is not None), None)
    when = session.created or first
    if (rest is not None or cost(stated) is not None) and when is not None:
        key = f"{session.id}#rest" if ledger else session.id
        call = session.call(key, when, rest, None, stated)
        call["session_total"] = True
        calls.append((None, call))
    elif rest is not None or cost(stated) is not None:
        undated += 1
    return calls, undated


def _attach_tools(calls: list[tuple[datetime | None, dict[str, Any]]], asked: Timed) -> None:
    """Each tool-requesting message's tools to the first call whose response came at or after
    it (the last one when none did); a session total takes them all."""
    timed = sorted(((ts, call) for ts, call in calls if ts is not None), key=lambda p: p[0])
    if not timed:
        if calls:
            calls[-1][1]["tools"] = [tool for _, found in asked for tool in found]
        return
    moments = [ts for ts, _ in timed]
    for ts, found in asked:
        index = bisect_left(moments, ts) if ts is not None else len(timed) - 1
        timed[min(index, len(timed) - 1)][1]["tools"].extend(found)


def read_sessions(path: str) -> RawRows:
    """Every request Goose's ledger holds and one session-total call per session for the rest,
    with the sessions' prompts."""
    rows = RawRows()
    with sqlite_ro.open_readonly(path) as connection:
        present = sqlite_ro.columns(connection, "sessions")
        if "id" not in present:
            return rows
        columns = ", ".join(f"{messages.column(present, name)} AS {name}" for name in COLUMNS)
        query = sql("sessions", package=PACKAGE, columns=columns)
        sessions = [
            dict(zip(("id", *COLUMNS), values, strict=True)) for values in connection.execute(query)
        ]
        ledger, unowned = requests(connection)
        session_tools = messages.tools(connection)
        prompts = messages.prompts(connection, bool(ledger))
    rows.records += unowned + sum(len(found) for found in ledger.values())
    rows.skipped += unowned
    parents = {
        s["id"]: s["parent_session_id"]
        for s in sessions
        if isinstance(s["parent_session_id"], str)
        and s["parent_session_id"]
        and s["session_type"] in SUBAGENT_TYPES
    }
    known = {s["id"] for s in sessions}
    orphans = [{"id": sid} for sid in ledger if sid not in known]  # the session row is gone
    for row in [*sessions, *orphans]:
        rows.records += 1
        sid = row["id"]
        if not isinstance(sid, str) or not sid:
            rows.skipped += 1
            continue
        session = _Session(
            id=sid,
            root=_root(sid, parents),
            created=timestamp(row.get("created_at")),
            provider=_provider(row.get("provider_name")),
            model=_model(row.get("model_config_json"), row.get("provider_name")),
            cwd=_text(row.get("working_dir")),
        )
        found = ledger.get(sid, [])
        calls, undated = _session_calls(session, {**dict.fromkeys(COLUMNS), **row}, found)
        rows.skipped += undated
        if not calls:
            continue
        _attach_tools(calls, session_tools.get(sid, []))
        rows.calls.extend(call for _, call in calls)
        _add_prompts(rows, session, prompts.get(sid, []), every=bool(found))
    return rows


def _add_prompts(rows: RawRows, session: _Session, texts: Timed, every: bool) -> None:
    """The session's first typed message (clamped to its start: a session total is dated
    there) and, for a ledgered session, every later one."""
    for n, (ts, text) in enumerate(texts if every else texts[:1]):
        when = ts or session.created
        if n == 0 and session.created is not None:
            when = min(when, session.created) if when is not None else session.created
        if when is None:
            continue
        rows.prompts.append(
            {
                "uuid": f"{session.id}#prompt{n or ''}",
                "session_id": session.root,
                "ts": when,
                "is_sidechain": session.sidechain,
                "texts": [text],
                "cwd": session.cwd,
            }
        )


SESSIONS_FORMAT = StoreFormat(name=paths.SESSIONS, read=read_sessions, companions=("-wal",))
