"""Factory Droid writer: a :class:`bench.plan.Plan` as Droid's session files, with their quirks.

Under ``home/.factory/sessions/<folder>/`` (``home`` plays ``$HOME``; the folder is the working
directory with ``/`` → ``-``): per session ``<id>.settings.json`` (pretty-printed; the session's
model, ``providerLock``, ``providerLockTimestamp`` and cumulative ``tokenUsage``) beside
``<id>.jsonl`` (``session_start``, then the messages with their tool calls). Droid keeps usage per
session only, and a session total sits on one day: a plan session whose calls span several UTC
days continues in a new Droid session each day. Quirks, none of which changes what was billed:

* ``thinkingTokens`` apart from ``outputTokens`` (the plan's output = both);
* some calls run in a subagent session (``callingSessionId`` in its ``session_start``);
* models as Droid names them: ids, and user-defined ``custom:<Name>-[Provider]-<n>``; some
  settings name none (the conversation's system reminder does: ``Model: …``);
* sessions that never reached the model (all counts 0), sessions without a conversation file,
  and a backup copy of a session in another folder (the same session twice).
"""

from __future__ import annotations

import json
import random
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.plan import Call, Plan, Shape, Tool

SHAPE = Shape(
    models=(
        ("claude-sonnet-4-5-20250929", 4),
        ("claude-opus-4-5-20251101", 2),
        ("gpt-5.1-codex", 2),
    ),
    cache_writes=True,
    reasoning=True,
)
"""A Droid history: Anthropic and OpenAI models, cache writes."""
CUSTOM = {"claude-opus-4-5-20251101": "custom:Claude-Opus-4.5-[Anthropic]-0"}
"""Models some users configure as BYOK custom models (normalised back by the reader)."""
TOOLS = {
    "shell": ("Execute", "command"),
    "read_file": ("Read", "file_path"),
    "apply_patch": ("Edit", "file_path"),
    "write_file": ("Create", "file_path"),
    "update_plan": ("TodoWrite", None),
}


def folder(cwd: str) -> str:
    return cwd.replace("/", "-")


def iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def provider(model: str) -> str:
    return "anthropic" if "claude" in model else "openai"


def settings(model: str | None, lock: datetime | None, usage: dict[str, int]) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if model is not None:
        body["model"] = model
    body["reasoningEffort"] = "medium"
    body["autonomyMode"] = "auto-low"
    if lock is not None:
        body["providerLock"] = provider(model or "claude")
        body["providerLockTimestamp"] = iso(lock)
    body["tokenUsage"] = usage
    body["assistantActiveTimeMs"] = 12345
    return body


def token_usage(calls: list[Call]) -> dict[str, int]:
    return {
        "inputTokens": sum(c.input for c in calls),
        "outputTokens": sum(c.output - c.reasoning for c in calls),
        "cacheCreationTokens": sum(c.cache_write for c in calls),
        "cacheReadTokens": sum(c.cache_read for c in calls),
        "thinkingTokens": sum(c.reasoning for c in calls),
    }


def message(ts: datetime, role: str, content: list[dict[str, Any]], mid: str) -> dict[str, Any]:
    return {"type": "message", "id": mid, "timestamp": iso(ts),
            "message": {"role": role, "content": content}}  # fmt: skip


def session_start(sid: str, cwd: str, title: str, caller: str | None = None) -> dict[str, Any]:
    start: dict[str, Any] = {"type": "session_start", "id": sid, "title": title, "version": 2,
                             "cwd": cwd, "owner": "dev"}  # fmt: skip
    if caller is not None:
        start["callingSessionId"] = caller
    return start


def write_session(
    directory: Path, sid: str, body: dict[str, Any], lines: list[dict[str, Any]] | None
) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = [directory / f"{sid}.settings.json"]
    written[0].write_text(json.dumps(body, indent=2), encoding="utf-8")
    if lines is not None:
        written.append(directory / f"{sid}.jsonl")
        written[1].write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return written


@dataclass(slots=True)
class _Part:
    """The calls of one Droid session (a plan session's calls on one UTC day, or a subagent's)."""

    id: str
    caller: str | None = None
    prompts: list[tuple[datetime, str]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)


class _Writer:
    def __init__(self, plan: Plan, home: Path, rng: random.Random) -> None:
        self.plan = plan
        self.root = home / ".factory" / "sessions"
        self.rng = rng
        self.files: list[Path] = []

    def _id(self) -> str:
        return str(uuidlib.UUID(int=self.rng.getrandbits(128), version=4))

    def _lines(self, part: _Part, cwd: str, model: str, named: bool) -> list[dict[str, Any]]:
        lines = [session_start(part.id, cwd, part.prompts[0][1] if part.prompts else "task",
                               part.caller)]  # fmt: skip
        first = part.calls[0].ts if part.calls else None
        reminder = f"<system-reminder>Model: {model} [{provider(model).title()}]</system-reminder>"
        for ts, text in part.prompts or [(first, "continue")]:
            content = [{"type": "text", "text": text}]
            if not named and not lines[1:]:
                content.insert(0, {"type": "text", "text": reminder})
            lines.append(message(ts, "user", content, self._id()))
        for call in part.calls:
            content: list[dict[str, Any]] = [{"type": "text", "text": "Working on it."}]
            for tool in call.tools:
                content.append(self._tool(tool))
            lines.append(message(call.ts, "assistant", content, self._id()))
        return lines

    def _tool(self, tool: Tool) -> dict[str, Any]:
        name, key = TOOLS.get(tool.name, (tool.name, None))
        arguments = {key: tool.detail} if key and tool.detail else {}
        return {"type": "tool_use", "id": f"toolu_{self.rng.getrandbits(48):012x}",
                "name": name, "input": arguments}  # fmt: skip

    def write(self) -> list[Path]:
        for planned in self.plan.sessions:
            directory = self.root / folder(planned.cwd)
            parts: dict[str, _Part] = {}
            order: list[_Part] = []
            for turn in planned.turns:
                day = turn.calls[0].ts.date().isoformat() if turn.calls else ""
                delegated = (
                    turn.calls[-1] if len(turn.calls) > 2 and self.rng.random() < 0.2 else None
                )
                for call in turn.calls:
                    day = call.ts.date().isoformat()
                    if day not in parts:
                        parts[day] = _Part(planned.id if not order else self._id())
                        order.append(parts[day])
                    part = parts[day]
                    if not part.prompts or part.prompts[-1][1] != turn.prompt:
                        part.prompts.append(
                            (turn.ts if turn.ts <= call.ts else call.ts, turn.prompt)
                        )
                    if call is delegated:
                        sub = _Part(self._id(), caller=part.id, prompts=[(call.ts, "investigate")])
                        sub.calls.append(call)
                        order.append(sub)
                    else:
                        part.calls.append(call)
            for part in order:
                if not part.calls:
                    continue
                model = part.calls[0].model
                named = self.rng.random() < 0.85
                shown = CUSTOM.get(model, model) if self.rng.random() < 0.5 else model
                body = settings(shown if named else None, part.calls[0].ts, token_usage(part.calls))
                lines = self._lines(part, planned.cwd, model, named)
                no_transcript = named and self.rng.random() < 0.1
                self.files += write_session(directory, part.id, body,
                                            None if no_transcript else lines)  # fmt: skip
                if self.rng.random() < 0.05:  # a backup of the session in another folder
                    self.files += write_session(self.root / "backup", part.id, body, lines)
            if self.rng.random() < 0.1:  # a session that never reached the model
                empty = settings("gpt-5.1-codex", None, token_usage([]))
                self.files += write_session(directory, self._id(), empty, None)
        return self.files


def write(plan: Plan, home: Path, rng: random.Random) -> list[Path]:
    """Write the plan as Droid sessions under ``home``; returns the files written."""
    return _Writer(plan, home, rng).write()
