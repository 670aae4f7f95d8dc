"""Writes a :class:`bench.plan.Plan` as OpenCode data under ``home/.local/share/opencode``, with
OpenCode's quirks (docs/counting.md, "OpenCode"):

* a turn is a user message and one to three assistant messages of one or more *steps* (model
  requests); a step ends with a ``step-finish`` part holding its tokens, the message keeps only
  the last step's tokens (and the sum of the costs);
* token records in three dialects: current (``output`` without reasoning, ``total`` = the sum of
  everything), older (reasoning inside ``output``, ``total`` says so), and without ``total``;
* forks: a copy of the first messages of a session, new ids, same content, parts stamped with the
  time of the copy;
* subagents: the last calls of some turns run in a child session started by a ``task`` tool;
* the 1.2 migration: old sessions live in the legacy JSON tree only, some in both the tree and
  the database (parts stamped with the migration time), the rest in the database only; one
  session is in a channel build's ``opencode-beta.db``, one in v2 ``session_message`` rows;
* legacy messages written by a fork with epoch seconds; ``path`` that is not an object;
* a malformed part blob and a malformed message row (carrying nothing billed), a user message
  with synthetic text, an aborted assistant message without usage.

The legacy tree keeps no per-step time: tokentree places such a step at its message's start, so
here a legacy message never holds calls of two UTC days (the database records step times).
"""

from __future__ import annotations

import json
import random
import sqlite3
import string
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bench.plan import Call, Plan, Session, Shape

SHAPE = Shape(
    models=(("claude-sonnet-4-5", 6), ("gpt-5.1-codex", 3), ("claude-opus-4-5", 1)),
    cache_writes=True,
    reasoning=True,
)
"""How an OpenCode history looks (Anthropic and OpenAI models; OpenAI ones reason)."""

PROVIDERS = {"claude": "anthropic", "gpt": "openai"}

MESSAGE_TABLES = """
CREATE TABLE message (id TEXT PRIMARY KEY, session_id TEXT NOT NULL,
    time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX message_session_time_created_id_idx ON message (session_id, time_created, id);
CREATE TABLE part (id TEXT PRIMARY KEY, message_id TEXT NOT NULL, session_id TEXT NOT NULL,
    time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX part_message_id_id_idx ON part (message_id, id);
CREATE INDEX part_session_idx ON part (session_id);
"""
"""The message and part tables (OpenCode's and its forks')."""

SCHEMA = """
CREATE TABLE project (id TEXT PRIMARY KEY, worktree TEXT NOT NULL, vcs TEXT,
    time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL);
CREATE TABLE session (id TEXT PRIMARY KEY, project_id TEXT NOT NULL, workspace_id TEXT,
    parent_id TEXT, slug TEXT NOT NULL, directory TEXT NOT NULL, path TEXT, title TEXT NOT NULL,
    version TEXT NOT NULL, share_url TEXT, summary_additions INTEGER, summary_deletions INTEGER,
    summary_files INTEGER, summary_diffs TEXT, cost REAL NOT NULL DEFAULT 0,
    tokens_input INTEGER NOT NULL DEFAULT 0, tokens_output INTEGER NOT NULL DEFAULT 0,
    tokens_reasoning INTEGER NOT NULL DEFAULT 0, tokens_cache_read INTEGER NOT NULL DEFAULT 0,
    tokens_cache_write INTEGER NOT NULL DEFAULT 0, revert TEXT, permission TEXT, goal TEXT,
    agent TEXT, model TEXT, time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL,
    time_compacting INTEGER, time_archived INTEGER);
CREATE INDEX session_parent_idx ON session (parent_id);
"""
SCHEMA += MESSAGE_TABLES
SCHEMA += """
CREATE TABLE session_message (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, type TEXT NOT NULL,
    time_created INTEGER NOT NULL, time_updated INTEGER NOT NULL, data TEXT NOT NULL);
CREATE TABLE todo (session_id TEXT NOT NULL, content TEXT NOT NULL, status TEXT NOT NULL,
    priority TEXT NOT NULL, position INTEGER NOT NULL, time_created INTEGER NOT NULL,
    time_updated INTEGER NOT NULL, PRIMARY KEY (session_id, position));
"""

TOOLS = {"shell": "bash", "read_file": "read", "apply_patch": "edit", "write_file": "write"}
DETAIL_KEY = {"bash": "command", "read": "filePath", "edit": "filePath", "write": "filePath"}


def _compact(data: Any) -> str:
    """JSON as OpenCode stores it in the database (``JSON.stringify``: no spaces)."""
    return json.dumps(data, separators=(",", ":"))


def _ms(ts: datetime) -> int:
    return int(ts.timestamp() * 1000)


def provider_of(model: str) -> str:
    return next((p for prefix, p in PROVIDERS.items() if model.startswith(prefix)), "opencode")


@dataclass(slots=True)
class _Ids:
    """OpenCode's ascending ids: prefix, 12 hex digits of time and counter, 14 random chars."""

    rng: random.Random
    counter: int = 0

    def make(self, prefix: str, ms: int) -> str:
        self.counter = (self.counter + 1) % 4096
        tail = "".join(self.rng.choices(string.ascii_letters + string.digits, k=14))
        return f"{prefix}_{ms * 4096 + self.counter:012x}{tail}"


@dataclass(slots=True)
class _Part:
    id: str
    time_ms: int
    data: dict[str, Any]


@dataclass(slots=True)
class _Message:
    id: str
    session_id: str
    data: dict[str, Any]
    parts: list[_Part] = field(default_factory=list)


@dataclass(slots=True)
class _Session:
    id: str
    directory: str
    created_ms: int
    parent_id: str | None = None
    title: str = ""
    messages: list[_Message] = field(default_factory=list)


def _tool(name: str, call_id: str, tool_input: dict[str, Any], output: str, at: int) -> dict:
    return {
        "type": "tool",
        "tool": name,
        "callID": call_id,
        "state": {
            "status": "completed",
            "input": tool_input,
            "output": output,
            "title": name,
            "metadata": {},
            "time": {"start": at, "end": at + 5},
        },
    }


def _tokens(call: Call, dialect: str) -> dict[str, Any]:
    """A call's tokens as OpenCode writes them in one of three dialects."""
    cache = {"read": call.cache_read, "write": call.cache_write}
    if dialect == "older":  # reasoning still inside output; total tells
        total = call.input + call.output + call.cache_read + call.cache_write
        return {
            "total": total,
            "input": call.input,
            "output": call.output,
            "reasoning": call.reasoning,
            "cache": cache,
        }
    tokens = {
        "input": call.input,
        "output": call.output - call.reasoning,
        "reasoning": call.reasoning,
        "cache": cache,
    }
    if dialect == "current":
        tokens = {
            "total": call.input + call.output + call.cache_read + call.cache_write,
            **tokens,
        }
    return tokens


class _Writer:
    schema = SCHEMA
    root_name = "opencode"
    """The data directory's name, under ``~/.local/share``, and its databases' stem."""

    def __init__(self, plan: Plan, home: Path, rng: random.Random, legacy: bool = True) -> None:
        self.plan = plan
        self.legacy = legacy
        self.root = home / ".local" / "share" / self.root_name
        self.rng = rng
        self.ids = _Ids(rng)
        self.written: list[Path] = []

    # ------------------------------------------------------------------ building sessions

    def _cost(self, call: Call) -> float:
        return round((call.input * 3 + call.output * 15 + call.cache_read * 0.3) / 1e6, 8)

    def _session(self, plan_session: Session, *, legacy: bool, seconds: bool) -> list[_Session]:
        """The OpenCode sessions of one planned session (itself and any subagent children)."""
        start = _ms(plan_session.start)
        session = _Session(
            self.ids.make("ses", start),
            plan_session.cwd,
            start,
            title=plan_session.turns[0].prompt,
        )
        children: list[_Session] = []
        model = next(plan_session.calls()).model
        provider = provider_of(model)
        dialect = self.rng.choice(("current", "current", "older", "bare"))
        for turn in plan_session.turns:
            user_ms = _ms(turn.ts)
            user = _Message(
                self.ids.make("msg", user_ms),
                session.id,
                {
                    "role": "user",
                    "time": {"created": user_ms},
                    "agent": "build",
                    "model": {"providerID": provider, "modelID": model},
                },
            )
            user.parts.append(
                _Part(self.ids.make("prt", user_ms), user_ms, {"type": "text", "text": turn.prompt})
            )
            if self.rng.random() < 0.2:
                user.parts.append(
                    _Part(
                        self.ids.make("prt", user_ms),
                        user_ms,
                        {"type": "text", "text": "<file>...</file>", "synthetic": True},
                    )
                )
            session.messages.append(user)
            calls = list(turn.calls)
            delegated: list[Call] = []
            if len(calls) >= 3 and self.rng.random() < 0.25:
                cut = self.rng.randrange(1, len(calls) - 1)
                calls, delegated = calls[:cut], calls[cut:]
            child: _Session | None = None
            if delegated:
                child_ms = _ms(delegated[0].ts)
                child = _Session(
                    self.ids.make("ses", child_ms),
                    plan_session.cwd,
                    child_ms,
                    parent_id=session.id,
                    title="explore the code (@explore subagent)",
                )
                children.append(child)
            messages = self._assistant(session, user, calls, provider, dialect, legacy, child)
            session.messages.extend(messages)
            if child is not None:
                child_user = _Message(
                    self.ids.make("msg", child.created_ms),
                    child.id,
                    {
                        "role": "user",
                        "time": {"created": child.created_ms},
                        "agent": "explore",
                        "model": {"providerID": provider, "modelID": model},
                    },
                )
                child_user.parts.append(
                    _Part(
                        self.ids.make("prt", child.created_ms),
                        child.created_ms,
                        {"type": "text", "text": "Find where the export happens"},
                    )
                )
                child.messages.append(child_user)
                child.messages.extend(
                    self._assistant(child, child_user, delegated, provider, dialect, legacy, None)
                )
        if seconds:
            for message in session.messages:
                time = message.data["time"]
                for key in ("created", "completed"):
                    if key in time:
                        time[key] = time[key] // 1000
        return [session, *children]

    def _assistant(
        self,
        session: _Session,
        user: _Message,
        calls: list[Call],
        provider: str,
        dialect: str,
        legacy: bool,
        child: _Session | None,
    ) -> list[_Message]:
        """Assistant messages of one to several steps for ``calls`` (the last one starts the
        child session, when there is one)."""
        groups: list[list[Call]] = []
        for call in calls:
            same_day = groups and groups[-1][0].ts.date() == call.ts.date()
            if groups and (same_day or not legacy) and self.rng.random() < 0.7:
                groups[-1].append(call)
            else:
                groups.append([call])
        messages: list[_Message] = []
        for index, group in enumerate(groups):
            created = _ms(group[0].ts)
            completed = _ms(group[-1].ts) + 500
            last = group[-1]
            path: Any = {"cwd": session.directory, "root": session.directory}
            if self.rng.random() < 0.05:
                path = session.directory  # some forks write a plain string
            message = _Message(
                self.ids.make("msg", created),
                session.id,
                {
                    "role": "assistant",
                    "time": {"created": created, "completed": completed},
                    "parentID": user.id,
                    "modelID": last.model,
                    "providerID": provider,
                    "mode": "build",
                    "agent": "explore" if session.parent_id else "build",
                    "path": path,
                    "cost": round(sum(self._cost(c) for c in group), 8),
                    "tokens": _tokens(last, dialect),  # the last step only
                    "finish": "stop",
                },
            )
            for number, call in enumerate(group):
                at = _ms(call.ts)
                message.parts.append(_Part(self.ids.make("prt", at), at, {"type": "step-start"}))
                for tool in call.tools:
                    name = TOOLS.get(tool.name, tool.name)
                    tool_input = (
                        {DETAIL_KEY.get(name, "command"): tool.detail} if tool.detail else {}
                    )
                    call_id = f"call_{self.rng.getrandbits(48):012x}"
                    output = "ok\n" * self.rng.randrange(1, 40)
                    message.parts.append(
                        _Part(
                            self.ids.make("prt", at),
                            at,
                            _tool(name, call_id, tool_input, output, at),
                        )
                    )
                if child is not None and index == len(groups) - 1 and number == len(group) - 1:
                    task_input = {
                        "description": "explore",
                        "subagent_type": "explore",
                        "prompt": "Find where the export happens",
                    }
                    task = _tool("task", f"call_task_{child.id[-8:]}", task_input, "done", at)
                    task["state"]["metadata"] = {"sessionId": child.id}
                    message.parts.append(_Part(self.ids.make("prt", at), at, task))
                message.parts.append(
                    _Part(
                        self.ids.make("prt", at),
                        at,
                        {
                            "type": "text",
                            "text": "Done." if number == len(group) - 1 else "",
                            "time": {"start": at, "end": at},
                        },
                    )
                )
                message.parts.append(
                    _Part(
                        self.ids.make("prt", at),
                        at,
                        {
                            "type": "step-finish",
                            "reason": "tool-calls",
                            "cost": self._cost(call),
                            "tokens": _tokens(call, dialect),
                        },
                    )
                )
            messages.append(message)
        if self.rng.random() < 0.05:  # aborted before the first step finished: nothing billed
            at = _ms(calls[-1].ts) + 1
            messages.append(
                _Message(
                    self.ids.make("msg", at),
                    session.id,
                    {
                        "role": "assistant",
                        "time": {"created": at, "completed": at + 1},
                        "parentID": user.id,
                        "modelID": calls[-1].model,
                        "providerID": provider,
                        "mode": "build",
                        "agent": "build",
                        "path": {"cwd": session.directory, "root": session.directory},
                        "cost": 0,
                        "tokens": {
                            "input": 0,
                            "output": 0,
                            "reasoning": 0,
                            "cache": {"read": 0, "write": 0},
                        },
                        "error": {"name": "MessageAbortedError", "data": {"message": "aborted"}},
                    },
                )
            )
        return messages

    def _fork(self, session: _Session) -> _Session:
        """A fork of ``session`` after its first messages: copies with new ids, later time."""
        keep = session.messages[: max(2, len(session.messages) // 2)]
        last = max(
            (p.time_ms for m in session.messages for p in m.parts), default=session.created_ms
        )
        at = last + 60_000
        fork = _Session(self.ids.make("ses", at), session.directory, at, title="fork")
        for message in keep:
            copy = _Message(self.ids.make("msg", at), fork.id, json.loads(json.dumps(message.data)))
            for part in message.parts:
                copy.parts.append(_Part(self.ids.make("prt", at), at, part.data))
            fork.messages.append(copy)
        return fork

    # ------------------------------------------------------------------ writing

    def _database(self, path: Path) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path)
        connection.execute("PRAGMA journal_mode = WAL")
        connection.executescript(self.schema)
        self.written.append(path)
        return connection

    def _insert(
        self, connection: sqlite3.Connection, session: _Session, *, stamp: int | None = None
    ) -> None:
        connection.execute(
            "INSERT INTO session (id, project_id, parent_id, slug, directory, title, version,"
            " time_created, time_updated) VALUES (?, 'global', ?, 'slug', ?, ?, '1.2.6', ?, ?)",
            (
                session.id,
                session.parent_id,
                session.directory,
                session.title,
                session.created_ms,
                session.created_ms,
            ),
        )
        for message in session.messages:
            created = message.data["time"]["created"]
            connection.execute(
                "INSERT INTO message VALUES (?, ?, ?, ?, ?)",
                (message.id, session.id, created, created, _compact(message.data)),
            )
            for part in message.parts:
                at = part.time_ms if stamp is None else stamp
                connection.execute(
                    "INSERT INTO part VALUES (?, ?, ?, ?, ?, ?)",
                    (part.id, message.id, session.id, at, at, _compact(part.data)),
                )

    def _insert_v2(self, connection: sqlite3.Connection, session: _Session) -> None:
        connection.execute(
            "INSERT INTO session (id, project_id, slug, directory, title, version, time_created,"
            " time_updated) VALUES (?, 'global', 'slug', ?, ?, '2.0.0', ?, ?)",
            (session.id, session.directory, session.title, session.created_ms, session.created_ms),
        )
        for message in session.messages:
            data = message.data
            created = data["time"]["created"]
            if data["role"] == "user":
                text = next(p.data["text"] for p in message.parts if p.data["type"] == "text")
                row = {
                    "time": {"created": created},
                    "text": text,
                    "files": [],
                    "agents": [],
                    "references": [],
                }
                connection.execute(
                    "INSERT INTO session_message VALUES (?, ?, 'user', ?, ?, ?)",
                    (message.id, session.id, created, created, _compact(row)),
                )
                continue
            steps = [p for p in message.parts if p.data["type"] == "step-finish"]
            tools = [p for p in message.parts if p.data["type"] == "tool"]
            for number, step in enumerate(steps):  # v2: one row per model request
                at = step.time_ms
                row = {
                    "time": {"created": at, "completed": at + 1},
                    "agent": data["agent"],
                    "model": {"id": data["modelID"], "providerID": data["providerID"]},
                    "content": [
                        {
                            "type": "tool",
                            "id": t.data["callID"],
                            "name": t.data["tool"],
                            "state": {
                                "status": "completed",
                                "input": t.data["state"]["input"],
                                "content": [],
                                "structured": {},
                            },
                            "time": {"created": at},
                        }
                        for t in tools
                        if number == 0
                    ],
                    "finish": "tool-calls",
                    "cost": step.data["cost"],
                    "tokens": step.data["tokens"],
                }
                connection.execute(
                    "INSERT INTO session_message VALUES (?, ?, 'assistant', ?, ?, ?)",
                    (self.ids.make("msg", at), session.id, at, at, _compact(row)),
                )

    def _legacy(self, session: _Session) -> None:
        storage = self.root / "storage"

        def put(path: Path, data: dict[str, Any]) -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(data, indent=2), encoding="utf-8")
            self.written.append(path)

        put(
            storage / "session" / "global" / f"{session.id}.json",
            {
                "id": session.id,
                "version": "1.1.20",
                "projectID": "global",
                "directory": session.directory,
                "title": session.title,
                "time": {"created": session.created_ms, "updated": session.created_ms},
                **({"parentID": session.parent_id} if session.parent_id else {}),
            },
        )
        for message in session.messages:
            put(
                storage / "message" / session.id / f"{message.id}.json",
                {"id": message.id, "sessionID": session.id, **message.data},
            )
            for part in message.parts:
                put(
                    storage / "part" / message.id / f"{part.id}.json",
                    {"id": part.id, "sessionID": session.id, "messageID": message.id, **part.data},
                )

    def write(self) -> list[Path]:
        planned = self.plan.sessions
        if not planned:
            return []
        n = len(planned)
        legacy_only = set(range(0, n // 5)) if self.legacy else set()
        migrated = set(range(n // 5, n // 3)) if self.legacy else set()
        seconds = next(iter(sorted(legacy_only)), None) if n >= 10 else None
        v2 = n - 1 if n >= 6 else None
        beta = n - 2 if n >= 6 else None
        main = self._database(self.root / f"{self.root_name}.db")
        channel: sqlite3.Connection | None = None
        migration_ms = _ms(planned[-1].start + timedelta(days=2))
        forked = False
        for index, plan_session in enumerate(planned):
            legacy = index in legacy_only or index in migrated
            family = self._session(plan_session, legacy=legacy, seconds=index == seconds)
            if index == v2:
                self._insert_v2(main, family[0])
                for child in family[1:]:
                    self._insert_v2(main, child)
                continue
            if legacy:
                for member in family:
                    self._legacy(member)
                if index in migrated:
                    for member in family:
                        self._insert(main, member, stamp=migration_ms)
                continue
            if index == beta:
                if channel is None:
                    channel = self._database(self.root / f"{self.root_name}-beta.db")
                target = channel
            else:
                target = main
            for member in family:
                self._insert(target, member)
            if not forked and len(family[0].messages) >= 4:
                self._insert(target, self._fork(family[0]))
                forked = True
        self._damage(main)
        main.commit()
        main.close()
        if channel is not None:
            channel.commit()
            channel.close()
        return self.written

    def _damage(self, connection: sqlite3.Connection) -> None:
        """Blobs that are not JSON (a crash mid-write) where nothing billed lives."""
        row = connection.execute("SELECT id, session_id FROM message LIMIT 1").fetchone()
        if row is None:
            return
        message_id, session_id = row
        connection.execute(
            "INSERT INTO part VALUES (?, ?, ?, 0, 0, ?)",
            (message_id + "zz", message_id, session_id, '{"type":"text","text":"cut'),
        )
        connection.execute(
            "INSERT INTO message VALUES (?, ?, 0, 0, ?)",
            ("msg_zzzzzzzzzzzz", session_id, '{"role":"user","time":'),
        )


def write(plan: Plan, home: Path, rng: random.Random, *, legacy: bool = True) -> list[Path]:
    """Write ``plan`` as OpenCode data under ``home`` (plays ``$HOME``); returns the files.
    ``legacy=False`` writes databases only (no JSON tree, e.g. for timing a large database)."""
    return _Writer(plan, home, rng, legacy).write()
