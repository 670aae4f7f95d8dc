"""Writes a :class:`bench.plan.Plan` as Hermes Agent state under ``home/.hermes`` (``state.db``
and a named profile's ``profiles/work/state.db``), with Hermes' quirks (docs/counting.md,
"Hermes"):

* usage exists per *session* only (``sessions`` token counters, summed over its API calls); the
  ``messages`` table holds the conversation and the assistant messages' ``tool_calls``;
* ``output_tokens`` includes reasoning, ``reasoning_tokens`` is the part that was reasoning;
* a session whose calls span several UTC days continues in a compression child session each new
  day (``parent_session_id``, ``end_reason = 'compression'``), as long Hermes sessions do — a
  session total can only sit on one day;
* the last calls of some turns run in a ``delegate_task`` subagent session (``source =
  'subagent'``, ``model_config._delegate_from``);
* costs: ``actual_cost_usd``, else ``estimated_cost_usd``, else neither (subscription routes
  record 0); models with and without a provider prefix; empty sessions (never reached the model).

Per-day token totals equal the plan's exactly; the number of calls is the number of Hermes
sessions with usage, not the plan's.
"""

from __future__ import annotations

import json
import random
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from bench.plan import Call, Plan, Shape

SHAPE = Shape(
    models=(("claude-sonnet-4-5", 5), ("gpt-5.1-codex", 4), ("gemini-2.5-pro", 1)),
    cache_writes=False,
    reasoning=True,
)

SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE sessions (
    id TEXT PRIMARY KEY, source TEXT NOT NULL, user_id TEXT, model TEXT, model_config TEXT,
    system_prompt TEXT, parent_session_id TEXT, started_at REAL NOT NULL, ended_at REAL,
    end_reason TEXT, message_count INTEGER DEFAULT 0, tool_call_count INTEGER DEFAULT 0,
    input_tokens INTEGER DEFAULT 0, output_tokens INTEGER DEFAULT 0,
    cache_read_tokens INTEGER DEFAULT 0, cache_write_tokens INTEGER DEFAULT 0,
    reasoning_tokens INTEGER DEFAULT 0, cwd TEXT, billing_provider TEXT, billing_base_url TEXT,
    billing_mode TEXT, estimated_cost_usd REAL, actual_cost_usd REAL, cost_status TEXT,
    cost_source TEXT, pricing_version TEXT, title TEXT, api_call_count INTEGER DEFAULT 0,
    FOREIGN KEY (parent_session_id) REFERENCES sessions(id));
CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL REFERENCES sessions(id),
    role TEXT NOT NULL, content TEXT, tool_call_id TEXT, tool_calls TEXT, tool_name TEXT,
    timestamp REAL NOT NULL, token_count INTEGER, finish_reason TEXT, reasoning TEXT);
CREATE INDEX idx_messages_session ON messages(session_id, timestamp);
INSERT INTO schema_version VALUES (30);
"""

TOOL_NAMES = {"shell": "terminal", "read_file": "read_file", "apply_patch": "patch"}
DETAIL_KEY = {"terminal": "command"}


@dataclass(slots=True)
class _Session:
    id: str
    started: float
    model: str
    provider: str
    cwd: str
    source: str = "cli"
    parent: str | None = None
    delegate: bool = False
    end_reason: str | None = None
    calls: list[Call] = field(default_factory=list)
    messages: list[tuple[str, str | None, str | None, float]] = field(default_factory=list)
    """(role, content, tool_calls JSON, timestamp)."""


def _provider(model: str) -> str:
    return "anthropic" if model.startswith("claude") else "openai" if "gpt" in model else "google"


class _Writer:
    def __init__(self, plan: Plan, home: Path, rng: random.Random) -> None:
        self.plan = plan
        self.home = home / ".hermes"
        self.rng = rng
        self.count = 0

    def _id(self, ts: float) -> str:
        self.count += 1
        return f"2026{int(ts) % 10**8:08d}_{self.count:06x}"

    def _sessions(self, index: int) -> list[_Session]:
        planned = self.plan.sessions[index]
        first = next(planned.calls())
        model = first.model
        if self.rng.random() < 0.3:
            model = f"{_provider(model)}/{model}"
        current = _Session(
            self._id(planned.start.timestamp()),
            planned.start.timestamp(),
            model,
            _provider(first.model),
            planned.cwd,
        )
        made = [current]
        day = planned.start.date()
        for turn in planned.turns:
            calls = list(turn.calls)
            if calls and calls[0].ts.date() != day:  # Hermes compresses into a new session
                day = calls[0].ts.date()
                current.end_reason = "compression"
                current = _Session(
                    self._id(calls[0].ts.timestamp()),
                    calls[0].ts.timestamp(),
                    current.model,
                    current.provider,
                    planned.cwd,
                    parent=current.id,
                )
                made.append(current)
            current.messages.append(("user", turn.prompt, None, turn.ts.timestamp()))
            delegated: list[Call] = []
            if len(calls) >= 3 and self.rng.random() < 0.2:
                cut = self.rng.randrange(1, len(calls) - 1)
                if all(c.ts.date() == day for c in calls[cut:]):
                    calls, delegated = calls[:cut], calls[cut:]
            for call in calls:
                if call.ts.date() != day:
                    day = call.ts.date()
                    current.end_reason = "compression"
                    current = _Session(
                        self._id(call.ts.timestamp()),
                        call.ts.timestamp(),
                        current.model,
                        current.provider,
                        planned.cwd,
                        parent=current.id,
                    )
                    made.append(current)
                current.calls.append(call)
                current.messages.append(
                    ("assistant", "…", self._tool_calls(call), call.ts.timestamp())
                )
            if delegated:
                child = _Session(
                    self._id(delegated[0].ts.timestamp()),
                    delegated[0].ts.timestamp(),
                    current.model,
                    current.provider,
                    planned.cwd,
                    source="subagent",
                    parent=current.id,
                    delegate=True,
                )
                child.messages.append(("user", "Investigate the failing test", None, child.started))
                for call in delegated:
                    child.calls.append(call)
                    child.messages.append(
                        ("assistant", "…", self._tool_calls(call), call.ts.timestamp())
                    )
                delegate = {
                    "id": f"call_d{self.count}",
                    "type": "function",
                    "function": {
                        "name": "delegate_task",
                        "arguments": json.dumps({"goal": "investigate"}),
                    },
                }
                at = delegated[0].ts.timestamp()
                current.messages.append(("assistant", None, json.dumps([delegate]), at))
                made.append(child)
        return made

    def _tool_calls(self, call: Call) -> str | None:
        if not call.tools:
            return None
        calls = []
        for tool in call.tools:
            name = TOOL_NAMES.get(tool.name, tool.name)
            arguments = {DETAIL_KEY.get(name, "path"): tool.detail} if tool.detail else {}
            calls.append(
                {
                    "id": f"call_{self.rng.getrandbits(40):010x}",
                    "type": "function",
                    "function": {"name": name, "arguments": json.dumps(arguments)},
                }
            )
        return json.dumps(calls)

    def _insert(self, connection: sqlite3.Connection, session: _Session) -> None:
        calls = session.calls
        tokens = [
            sum(c.input for c in calls),
            sum(c.output for c in calls),
            sum(c.cache_read for c in calls),
            sum(c.cache_write for c in calls),
            sum(c.reasoning for c in calls),
        ]
        estimate = round(
            sum(c.input * 3 + c.output * 15 + c.cache_read * 0.3 for c in calls) / 1e6, 6
        )
        kind = self.rng.random()
        actual, estimated, status = None, estimate, "estimated"
        if kind < 0.2:
            actual, status = round(estimate * 0.97, 6), "actual"
        elif kind < 0.35:
            estimated, status = 0.0, "included"  # subscription route: nothing stated
        model_config = json.dumps({"_delegate_from": session.parent}) if session.delegate else None
        ended = max((c.ts.timestamp() for c in calls), default=session.started) + 1
        connection.execute(
            "INSERT INTO sessions (id, source, model, model_config, parent_session_id, started_at,"
            " ended_at, end_reason, message_count, tool_call_count, input_tokens, output_tokens,"
            " cache_read_tokens, cache_write_tokens, reasoning_tokens, cwd, billing_provider,"
            " estimated_cost_usd, actual_cost_usd, cost_status, api_call_count, title)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                session.id,
                session.source,
                session.model,
                model_config,
                session.parent,
                session.started,
                ended,
                session.end_reason,
                len(session.messages),
                sum(len(c.tools) for c in calls),
                *tokens,
                session.cwd,
                session.provider,
                estimated,
                actual,
                status,
                len(calls),
                None,
            ),
        )
        connection.executemany(
            "INSERT INTO messages (session_id, role, content, tool_calls, timestamp)"
            " VALUES (?, ?, ?, ?, ?)",
            [
                (session.id, role, content, tool_calls, ts)
                for role, content, tool_calls, ts in session.messages
            ],
        )

    def write(self) -> list[Path]:
        if not self.plan.sessions:
            return []
        written: list[Path] = []
        targets = [self.home / "state.db", self.home / "profiles" / "work" / "state.db"]
        connections = []
        for path in targets:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.executescript(SCHEMA)
            connections.append(connection)
            written.append(path)
        for index in range(len(self.plan.sessions)):
            target = connections[1] if index % 7 == 3 else connections[0]
            for session in self._sessions(index):
                self._insert(target, session)
        start = self.plan.sessions[0].start.timestamp()
        connections[0].execute(  # opened, never reached the model
            "INSERT INTO sessions (id, source, model, started_at) VALUES (?, 'cli', NULL, ?)",
            (self._id(start), start - 5),
        )
        for connection in connections:
            connection.commit()
            connection.close()
        return written


def write(plan: Plan, home: Path, rng: random.Random) -> list[Path]:
    """Write ``plan`` as Hermes state under ``home`` (plays ``$HOME``); returns the files."""
    return _Writer(plan, home, rng).write()
