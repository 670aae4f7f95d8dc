"""Writes a :class:`bench.plan.Plan` as Goose sessions under ``home/.local/share/goose``
(``sessions/sessions.db``), with Goose's quirks (docs/counting.md, "Goose"):

* usage exists per *session*: ``accumulated_*`` counters summed over its provider responses,
  ``input_tokens``/``output_tokens``/``total_tokens``/``cache_*`` holding the latest response
  only; and, for the sessions of a build with the ledger (schema 15+), per request in
  ``usage_ledger`` (same counters, the response's time and model, Goose's cost for some, a
  compaction now and then) — some of them begun before the upgrade, whose first rows are summed
  in a ``carried_forward`` row written with the first ledgered request;
* input counts every prompt token, cache reads and writes included (``Usage`` in
  ``providers/base.rs``); the cache counters are parts of it;
* Gemini models report thinking apart from output: their output counter leaves it out and the
  total holds it (``total − input − output`` is the thinking);
* a session whose calls reach a new UTC day continues in a new session unless it has ledger
  rows from its start (a session total can only sit on one day; the real Goose keeps counting
  into the old one, as the ledgered sessions here do);
* the last calls of some turns run in a sub-agent session (``session_type = 'sub_agent'``,
  ``parent_session_id``); a session that never reached the model; ``accumulated_cost`` stated
  for some sessions, absent for others; a provider on some model names, not on others;
* ``messages`` holds the conversation: typed user text, tool results filed as user messages,
  assistant messages with ``toolRequest`` blocks (Goose's developer tools: ``shell``,
  ``text_editor``), ``created_timestamp`` in epoch seconds.

Per-day token totals equal the plan's exactly; the number of calls is not the plan's (a session
without ledger rows, or a carried-forward row, is one call).
"""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench.plan import Call, Plan, Shape

SHAPE = Shape(
    models=(("claude-sonnet-4-5", 5), ("gpt-5.1-codex", 3), ("gemini-2.5-pro", 2)),
    cache_writes=True,
    reasoning=True,
)

SCHEMA = """
CREATE TABLE schema_version (version INTEGER PRIMARY KEY,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE sessions (
    id TEXT PRIMARY KEY, name TEXT NOT NULL DEFAULT '', description TEXT NOT NULL DEFAULT '',
    user_set_name BOOLEAN DEFAULT FALSE, session_type TEXT NOT NULL DEFAULT 'user',
    working_dir TEXT NOT NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, extension_data TEXT DEFAULT '{}',
    total_tokens INTEGER, input_tokens INTEGER, output_tokens INTEGER,
    cache_read_tokens INTEGER, cache_write_tokens INTEGER,
    accumulated_total_tokens INTEGER, accumulated_input_tokens INTEGER,
    accumulated_output_tokens INTEGER, accumulated_cache_read_tokens INTEGER,
    accumulated_cache_write_tokens INTEGER, accumulated_cost REAL,
    schedule_id TEXT, recipe_json TEXT, user_recipe_values_json TEXT,
    provider_name TEXT, model_config_json TEXT, goose_mode TEXT NOT NULL DEFAULT 'auto',
    archived_at TIMESTAMP, project_id TEXT, parent_session_id TEXT, parent_delegation TEXT);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT,
    session_id TEXT NOT NULL REFERENCES sessions(id), role TEXT NOT NULL,
    content_json TEXT NOT NULL, created_timestamp INTEGER NOT NULL,
    timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP, tokens INTEGER, metadata_json TEXT);
CREATE TABLE usage_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    created_timestamp INTEGER NOT NULL, model TEXT, input_tokens INTEGER, output_tokens INTEGER,
    total_tokens INTEGER, cache_read_tokens INTEGER, cache_write_tokens INTEGER, cost REAL,
    cost_source TEXT, is_compaction INTEGER DEFAULT 0);
CREATE INDEX idx_messages_session ON messages(session_id);
CREATE INDEX idx_sessions_type ON sessions(session_type);
CREATE INDEX idx_usage_ledger_session ON usage_ledger(session_id);
INSERT INTO schema_version (version) VALUES (17);
"""
"""Goose's tables (``crates/goose/src/session/session_manager.rs``, schema version 17)."""

TOOL_NAMES = {
    "shell": ("developer__shell", "command"),
    "read_file": ("developer__text_editor", "path"),
}


def _provider(model: str) -> str:
    return "anthropic" if model.startswith("claude") else "openai" if "gpt" in model else "google"


def _sqlite_time(ts: datetime) -> str:
    """``created_at`` as SQLite's ``CURRENT_TIMESTAMP`` writes it (UTC, whole seconds)."""
    return ts.strftime("%Y-%m-%d %H:%M:%S")


@dataclass(slots=True)
class _Session:
    id: str
    created: datetime
    model: str
    cwd: str
    session_type: str = "user"
    parent: str | None = None
    ledgered: bool = False
    """Every request in the ledger (else none, or the later ones with a carried-forward row)."""
    calls: list[Call] = field(default_factory=list)
    messages: list[tuple[str, list[dict], int]] = field(default_factory=list)
    """(role, content blocks, created_timestamp)."""


class _Writer:
    def __init__(self, plan: Plan, home: Path, rng: random.Random) -> None:
        self.plan = plan
        self.path = home / ".local" / "share" / "goose" / "sessions" / "sessions.db"
        self.rng = rng
        self.count: dict[str, int] = {}

    def _id(self, ts: datetime) -> str:
        day = ts.strftime("%Y%m%d")
        self.count[day] = self.count.get(day, 0) + 1
        return f"{day}_{self.count[day]}"

    def _start(self, when: datetime, model: str, cwd: str, **extra: object) -> _Session:
        # created_at has whole seconds: the session starts at its first call's second
        return _Session(self._id(when), when.replace(microsecond=0), model, cwd, **extra)

    def _tool_blocks(self, call: Call) -> list[dict]:
        blocks: list[dict] = [{"type": "text", "text": "…"}]
        for tool in call.tools:
            name, key = TOOL_NAMES.get(tool.name, (f"developer__{tool.name}", "path"))
            arguments: dict[str, str] = {key: tool.detail} if tool.detail else {}
            if name == "developer__text_editor":
                arguments["command"] = "view"
            blocks.append(
                {
                    "type": "toolRequest",
                    "id": f"toolu_{self.rng.getrandbits(48):012x}",
                    "toolCall": {
                        "status": "success",
                        "value": {"name": name, "arguments": arguments},
                    },
                }
            )
        return blocks

    def _sessions(self, index: int) -> list[_Session]:
        planned = self.plan.sessions[index]
        model = next(planned.calls()).model
        ledgered = self.rng.random() < 0.45
        current = self._start(planned.start, model, planned.cwd, ledgered=ledgered)
        made = [current]
        day = planned.start.date()
        for turn in planned.turns:
            calls = list(turn.calls)
            if calls and calls[0].ts.date() != day and not ledgered:
                day = calls[0].ts.date()
                current = self._start(calls[0].ts, model, planned.cwd)
                made.append(current)
            current.messages.append(
                ("user", [{"type": "text", "text": turn.prompt}], int(turn.ts.timestamp()))
            )
            delegated: list[Call] = []
            if len(calls) >= 3 and self.rng.random() < 0.25:
                cut = self.rng.randrange(1, len(calls) - 1)
                if all(c.ts.date() == day for c in calls[cut:]):
                    calls, delegated = calls[:cut], calls[cut:]
            for call in calls:
                if call.ts.date() != day and not ledgered:
                    day = call.ts.date()
                    current = self._start(call.ts, model, planned.cwd)
                    made.append(current)
                current.calls.append(call)
                at = int(call.ts.timestamp())
                current.messages.append(("assistant", self._tool_blocks(call), at))
                if call.tools:
                    result = {
                        "type": "toolResponse",
                        "id": "t",
                        "toolResult": {"status": "success"},
                    }
                    current.messages.append(("user", [result], at))
            if delegated:
                child = self._start(
                    delegated[0].ts,
                    model,
                    planned.cwd,
                    session_type="sub_agent",
                    parent=current.id,
                    ledgered=ledgered,
                )
                child.messages.append(
                    (
                        "user",
                        [{"type": "text", "text": "Investigate the failure"}],
                        int(child.created.timestamp()),
                    )
                )
                for call in delegated:
                    child.calls.append(call)
                    child.messages.append(
                        ("assistant", self._tool_blocks(call), int(call.ts.timestamp()))
                    )
                request = {
                    "type": "toolRequest",
                    "id": "toolu_subagent",
                    "toolCall": {
                        "status": "success",
                        "value": {
                            "name": "subagent__execute_task",
                            "arguments": {"instructions": "investigate"},
                        },
                    },
                }
                current.messages.append(("assistant", [request], int(delegated[0].ts.timestamp())))
                made.append(child)
        return made

    def _insert(self, connection: sqlite3.Connection, session: _Session) -> None:
        calls = session.calls
        google = _provider(session.model) == "google"
        inputs = [c.input + c.cache_read + c.cache_write for c in calls]
        # Gemini reports thinking apart: output without it, the total with it
        outputs = [c.output - c.reasoning if google else c.output for c in calls]
        totals = [c.input + c.cache_read + c.cache_write + c.output for c in calls]
        accumulated = (
            sum(totals),
            sum(inputs),
            sum(outputs),
            sum(c.cache_read for c in calls),
            sum(c.cache_write for c in calls),
        )
        last = calls[-1] if calls else None
        latest = (
            (totals[-1], inputs[-1], outputs[-1], last.cache_read, last.cache_write)
            if last is not None
            else (None,) * 5
        )
        prices = [round((c.input * 3 + c.output * 15 + c.cache_read * 0.3) / 1e6, 6) for c in calls]
        stated = round(sum(prices), 6) if calls and self.rng.random() < 0.4 else None
        provider = _provider(session.model) if self.rng.random() < 0.7 else None
        config = json.dumps(
            {"model_name": session.model, "context_limit": 200000, "temperature": None}
        )
        connection.execute(
            "INSERT INTO sessions (id, name, session_type, working_dir, created_at, updated_at,"
            " total_tokens, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,"
            " accumulated_total_tokens, accumulated_input_tokens, accumulated_output_tokens,"
            " accumulated_cache_read_tokens, accumulated_cache_write_tokens, accumulated_cost,"
            " provider_name, model_config_json, parent_session_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session.id,
                "session",
                session.session_type,
                session.cwd,
                _sqlite_time(session.created),
                _sqlite_time(max((c.ts for c in calls), default=session.created)),
                *latest,
                *accumulated,
                stated,
                provider,
                config,
                session.parent,
            ),
        )
        counters = list(
            zip(
                inputs,
                outputs,
                totals,
                [c.cache_read for c in calls],
                [c.cache_write for c in calls],
                strict=True,
            )
        )
        self._ledger(connection, session, counters, prices if stated is not None else None)
        connection.executemany(
            "INSERT INTO messages (message_id, session_id, role, content_json, created_timestamp,"
            " metadata_json) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    f"msg_{session.id}_{n}",
                    session.id,
                    role,
                    json.dumps(blocks),
                    at,
                    '{"userVisible":true,"agentVisible":true}',
                )
                for n, (role, blocks, at) in enumerate(session.messages)
            ],
        )

    def _ledger(
        self,
        connection: sqlite3.Connection,
        session: _Session,
        counters: list[tuple[int, int, int, int, int]],
        prices: list[float] | None,
    ) -> None:
        """The session's ledger rows, if the build that ran it kept one (from its first request,
        or from a later one, the earlier ones carried forward)."""
        calls = session.calls
        start = 0
        if not session.ledgered:
            if len(calls) < 2 or self.rng.random() < 0.6:
                return  # a build before the ledger
            start = self.rng.randrange(1, len(calls))  # upgraded during the session
        insert = (
            "INSERT INTO usage_ledger (session_id, created_timestamp, model, input_tokens,"
            " output_tokens, total_tokens, cache_read_tokens, cache_write_tokens, cost,"
            " cost_source, is_compaction) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        if start:
            carried = [sum(column) for column in zip(*counters[:start], strict=True)]
            cost = round(sum(prices[:start]), 6) if prices else None
            at = int(calls[start].ts.timestamp())
            connection.execute(insert, (session.id, at, None, *carried, cost, "carried_forward", 0))
        for call, row, price in zip(
            calls[start:], counters[start:], (prices or [None] * len(calls))[start:], strict=True
        ):
            compaction = int(self.rng.random() < 0.05)
            source = "estimated" if price is not None else None
            connection.execute(
                insert,
                (session.id, int(call.ts.timestamp()), call.model, *row, price, source, compaction),
            )

    def write(self) -> list[Path]:
        if not self.plan.sessions:
            return []
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.executescript(SCHEMA)
        for index in range(len(self.plan.sessions)):
            for session in self._sessions(index):
                self._insert(connection, session)
        start = self.plan.sessions[0].start
        connection.execute(  # opened, never reached the model
            "INSERT INTO sessions (id, working_dir, created_at) VALUES (?, '/tmp', ?)",
            (self._id(start), _sqlite_time(start)),
        )
        connection.commit()
        connection.close()
        return [self.path]


def write(plan: Plan, home: Path, rng: random.Random) -> list[Path]:
    """Write ``plan`` as Goose sessions under ``home`` (plays ``$HOME``); returns the files."""
    return _Writer(plan, home, rng).write()
