"""Gemini CLI writer: a :class:`bench.plan.Plan` as Gemini CLI's chat recordings, with its quirks.

Under ``home/.gemini`` (``home`` plays ``$HOME``): ``tmp/<project>/chats/`` for each project,
either a sha256-named directory (the hashed era; half of them listed in ``projects.json``) or a
slug directory with its ``.project_root`` marker and a ``projects.json`` entry. Sessions are:

* legacy ``session-….json`` files: one pretty-printed ConversationRecord (hashed projects
  always use them);
* streaming ``session-….jsonl`` files: the metadata line, every message appended again when it
  changes (tokens arrive after the tool calls, or tool calls after the tokens), ``$set``
  updates, checkpoints whose ``messages`` list replaces the conversation (with a synthetic
  summary), ``$rewindTo`` lines (the rewound calls were billed), gemini records with
  ``tokens: null`` (never billed), notices, tool responses sent as user records, slash
  commands, subagent chats in ``chats/<session id>/<agent id>.jsonl``, and sometimes a last
  line still being written;
* legacy sessions resumed by a newer CLI: the ``.json`` stays, a ``.jsonl`` beside it repeats
  all its messages and continues (the same calls in two files).

Token semantics are Gemini's: ``input`` includes ``cached`` and excludes ``tool``; ``thoughts``
are apart from ``output``. The plan must have no cache writes (Gemini reports none).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import string
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.plan import Call, Plan, Session, Shape, Tool, Turn

SHAPE = Shape(
    models=(
        ("gemini-3-flash-preview", 5),
        ("gemini-2.5-pro", 3),
        ("gemini-3.1-pro-preview-customtools", 2),
        ("gemini-2.5-flash", 2),
    ),
    cache_writes=False,
    reasoning=True,
)
"""A Gemini CLI history: no cache writes, thoughts on most responses."""

COMMANDS = ("/init", "/review", "/compress")
SUMMARY = "<state_snapshot>the conversation so far, compressed</state_snapshot>"


def _uuid(rng: random.Random) -> str:
    return str(uuidlib.UUID(int=rng.getrandbits(128), version=4))


def _iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def _file_name(session: Session) -> str:
    return f"session-{session.start.strftime('%Y-%m-%dT%H-%M')}-{session.id[:8]}"


def _slug(cwd: str) -> str:
    return re.sub(r"[^a-z0-9]", "-", cwd.rstrip("/").rsplit("/", 1)[-1].lower()) or "project"


def project_hash(cwd: str) -> str:
    return hashlib.sha256(cwd.encode()).hexdigest()


def _tool_call(rng: random.Random, tool: Tool, ts: datetime) -> dict[str, Any]:
    name, args = {
        "shell": ("run_shell_command", {"command": tool.detail, "description": "run it"}),
        "read_file": ("read_file", {"file_path": tool.detail}),
        "apply_patch": (
            "replace",
            {"file_path": tool.detail, "old_string": "a", "new_string": "b"},
        ),
        "write_file": ("write_file", {"file_path": tool.detail, "content": "# new\n"}),
        "update_plan": ("write_todos", {"todos": [{"description": "step", "status": "pending"}]}),
    }.get(tool.name, (tool.name, {}))
    call_id = "".join(rng.choices(string.ascii_lowercase + string.digits, k=8))
    return {
        "id": call_id,
        "name": name,
        "args": {k: v for k, v in args.items() if v is not None},
        "result": [{"functionResponse": {"id": call_id, "name": name, "response": {"output": ""}}}],
        "status": "success",
        "timestamp": _iso(ts),
        "displayName": name,
        "description": "",
        "renderOutputAsMarkdown": False,
    }


def tokens_of(rng: random.Random, call: Call) -> dict[str, int]:
    """The plan's additive counts in Gemini's semantics (a share of the input as tool tokens)."""
    if call.cache_write:
        raise ValueError(
            "Gemini CLI reports no cache writes: draw the plan with writers.gemini.SHAPE"
        )
    tool = rng.choice((0, 0, 0, min(call.input, rng.randrange(1, 300))))
    prompt = call.input - tool + call.cache_read
    output = call.output - call.reasoning
    return {
        "input": prompt,
        "output": output,
        "cached": call.cache_read,
        "thoughts": call.reasoning,
        "tool": tool,
        "total": prompt + output + call.reasoning + tool,
    }


@dataclass
class _Chat:
    """One chat file being written: its records (JSONL) and its conversation (legacy)."""

    rng: random.Random
    lines: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)

    def push(self, message: dict[str, Any], *, copy_first: dict[str, Any] | None = None) -> None:
        """Append a message (after an earlier, partial copy of it), as ``pushMessage`` does."""
        if copy_first is not None:
            self.lines.append(copy_first)
        self.lines.append(message)
        self.messages = [m for m in self.messages if m["id"] != message["id"]] + [message]
        if self.rng.random() < 0.7:
            self.lines.append({"$set": {"lastUpdated": message["timestamp"]}})

    def user(self, turn: Turn, message_id: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "id": message_id,
            "timestamp": _iso(turn.ts),
            "type": "user",
            "content": [{"text": turn.prompt}],
        }
        if self.rng.random() < 0.1:
            command = self.rng.choice(COMMANDS)
            message["displayContent"] = [{"text": command}]
            message["content"] = [{"text": f"{turn.prompt} (expanded from {command})"}]
        self.push(message)
        return message

    def gemini(self, call: Call, *, quirks: bool) -> None:
        ts = _iso(call.ts)
        message: dict[str, Any] = {
            "id": _uuid(self.rng),
            "timestamp": ts,
            "type": "gemini",
            "content": "",
            "thoughts": [{"subject": "Thinking", "description": "…", "timestamp": ts}]
            if call.reasoning
            else [],
            "tokens": tokens_of(self.rng, call),
            "model": call.model,
        }
        tool_calls = [_tool_call(self.rng, tool, call.ts) for tool in call.tools]
        if tool_calls:
            message["toolCalls"] = tool_calls
        if not quirks:
            self.push(message)
            return
        if tool_calls and self.rng.random() < 0.3:
            # Tool calls recorded first; the tokens were queued and arrive with the next copy.
            self.push(message, copy_first={**message, "tokens": None})
        elif tool_calls and self.rng.random() < 0.8:
            # Tokens first; the message is appended again once its tool calls are added.
            self.push(message, copy_first={k: v for k, v in message.items() if k != "toolCalls"})
        else:
            self.push(message)
            if self.rng.random() < 0.3:
                self.lines.append(message)  # re-appended unchanged
        if tool_calls and self.rng.random() < 0.3:
            response = {
                "id": _uuid(self.rng),
                "timestamp": ts,
                "type": "user",
                "content": [{"text": "System: Please continue."}],
                "displayContent": [{"functionResponse": {"id": tool_calls[0]["id"]}}],
            }
            self.push(response)

    def noise(self, ts: datetime) -> None:
        """Records that bill nothing: a response that never got tokens, a notice."""
        stamp = _iso(ts)
        if self.rng.random() < 0.15:
            unbilled = {
                "id": _uuid(self.rng),
                "timestamp": stamp,
                "type": "gemini",
                "content": "",
                "tokens": None,
                "model": "gemini-2.5-pro",
            }
            self.push(unbilled)
        if self.rng.random() < 0.15:
            kind = self.rng.choice(("info", "warning", "error"))
            self.push({"id": _uuid(self.rng), "timestamp": stamp, "type": kind, "content": "…"})


@dataclass
class _Writer:
    plan: Plan
    home: Path
    rng: random.Random
    written: list[Path] = field(default_factory=list)
    registry: dict[str, str] = field(default_factory=dict)
    hashed: dict[str, bool] = field(default_factory=dict)

    @property
    def tmp(self) -> Path:
        return self.home / ".gemini" / "tmp"

    def project_dir(self, cwd: str) -> Path:
        if cwd not in self.hashed:
            self.hashed[cwd] = self.rng.random() < 0.3
            if not self.hashed[cwd] or self.rng.random() < 0.5:
                self.registry[cwd] = _slug(cwd)
            if not self.hashed[cwd]:
                marker = self.tmp / _slug(cwd) / ".project_root"
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.write_text(cwd, encoding="utf-8")
                self.written.append(marker)
        return self.tmp / (project_hash(cwd) if self.hashed[cwd] else _slug(cwd))

    def meta(self, session_id: str, cwd: str, start: datetime, kind: str) -> dict[str, Any]:
        return {
            "sessionId": session_id,
            "projectHash": project_hash(cwd),
            "startTime": _iso(start),
            "lastUpdated": _iso(start),
            "kind": kind,
        }

    def write_json(self, path: Path, head: dict[str, Any], messages: list[dict]) -> None:
        record = {**head, "messages": messages}
        record["kind"] = record.pop("kind")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
        self.written.append(path)

    def write_jsonl(self, path: Path, lines: list[dict[str, Any]], *, torn: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
        if torn:
            text += '{"$set":{"lastUpdated":"'  # the CLI is writing this line right now
        path.write_text(text, encoding="utf-8")
        self.written.append(path)

    # ------------------------------------------------------------------ sessions

    def session(self, session: Session) -> None:
        chats = self.project_dir(session.cwd) / "chats"
        name = _file_name(session)
        head = self.meta(session.id, session.cwd, session.start, "main")
        if self.hashed[session.cwd]:
            self.legacy(chats / f"{name}.json", head, session.turns)
            return
        variant = self.rng.random()
        if variant < 0.2:
            self.legacy(chats / f"{name}.json", head, session.turns)
        elif variant < 0.45 and len(session.turns) > 1:
            cut = self.rng.randrange(1, len(session.turns))
            old = self.legacy(chats / f"{name}.json", head, session.turns[:cut])
            # Resumed by a newer CLI: the whole record is appended to a .jsonl beside it.
            chat = _Chat(self.rng, lines=[head, *old.messages], messages=list(old.messages))
            chat.lines.append({"$set": {"sessionId": session.id}})
            self.stream(chat, session, session.turns[cut:])
            self.write_jsonl(chats / f"{name}.jsonl", chat.lines)
        else:
            chat = _Chat(self.rng, lines=[head])
            self.stream(chat, session, session.turns)
            self.write_jsonl(chats / f"{name}.jsonl", chat.lines, torn=self.rng.random() < 0.1)

    def legacy(self, path: Path, head: dict[str, Any], turns: list[Turn]) -> _Chat:
        chat = _Chat(self.rng)
        for turn in turns:
            chat.user(turn, _uuid(self.rng))
            for call in turn.calls:
                chat.gemini(call, quirks=False)
        self.write_json(path, head, chat.messages)
        return chat

    def stream(self, chat: _Chat, session: Session, turns: list[Turn]) -> None:
        for turn in turns:
            user = chat.user(turn, _uuid(self.rng))
            calls = list(turn.calls)
            delegated: list[Call] = []
            if len(calls) > 2 and self.rng.random() < 0.2:
                keep = self.rng.randrange(1, len(calls))
                calls, delegated = calls[:keep], calls[keep:]
            for call in calls:
                chat.gemini(call, quirks=True)
                chat.noise(call.ts)
            if delegated:
                self.subagent(session, turn, delegated)
            if self.rng.random() < 0.15:
                summary = {**user, "id": _uuid(self.rng), "content": [{"text": SUMMARY}]}
                checkpoint = [*chat.messages[-6:], summary]
                chat.lines.append(
                    {"$set": {"messages": checkpoint, "lastUpdated": user["timestamp"]}}
                )
                chat.messages = checkpoint
            if self.rng.random() < 0.1:
                chat.lines.append({"$rewindTo": user["id"]})  # hidden, but billed
                chat.messages = (
                    chat.messages[: chat.messages.index(user)] if user in chat.messages else []
                )

    def subagent(self, session: Session, turn: Turn, calls: list[Call]) -> None:
        agent = _uuid(self.rng)
        head = self.meta(agent, session.cwd, calls[0].ts, "subagent")
        head["directories"] = [session.cwd]
        chat = _Chat(self.rng, lines=[head])
        task = Turn(calls[0].ts, f"Investigate: {turn.prompt}")
        chat.user(task, _uuid(self.rng))
        for call in calls:
            chat.gemini(call, quirks=True)
        path = self.project_dir(session.cwd) / "chats" / session.id / f"{agent}.jsonl"
        self.write_jsonl(path, chat.lines)


def write(plan: Plan, home: Path, rng: random.Random) -> list[Path]:
    """Write ``plan`` as Gemini CLI recordings under ``home`` (plays ``$HOME``); returns the
    files written (chats, project markers and the registry)."""
    writer = _Writer(plan, home, rng)
    for session in plan.sessions:
        writer.session(session)
    registry = home / ".gemini" / "projects.json"
    registry.parent.mkdir(parents=True, exist_ok=True)
    registry.write_text(json.dumps({"projects": writer.registry}, indent=2), encoding="utf-8")
    writer.written.append(registry)
    return writer.written
