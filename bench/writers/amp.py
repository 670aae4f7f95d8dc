"""Amp writer: a :class:`bench.plan.Plan` as Amp's thread documents, with their quirks.

Under ``home/.local/share/amp/threads/T-<uuid>.json`` (``home`` plays ``$HOME``), one JSON
document per thread: user messages (with ``meta.sentAt``), assistant messages with ``tool_use``
blocks and ``usage``, user messages of tool results, the workspace in ``env.initial``. Quirks,
none of which changes what was billed:

* threads written before January 2026: a ``usageLedger`` whose events carry each request's
  input, output and time and name its message, whose ``usage`` holds the cache counts;
* a thread begun then and continued later: the first requests in the ledger, the later ones on
  their messages only;
* cancelled requests: a usage of zero tokens;
* compact or pretty-printed JSON.
"""

from __future__ import annotations

import json
import random
import uuid as uuidlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.plan import Call, Plan, Session, Shape

SHAPE = Shape(
    models=(
        ("claude-sonnet-4-5-20250929", 4),
        ("claude-opus-4-5-20251101", 3),
        ("claude-haiku-4-5-20251001", 2),
        ("gpt-5", 1),
    ),
    cache_writes=True,
    reasoning=True,
)
THREADS = Path(".local/share/amp/threads")
TOOL_NAMES = {"shell": "Bash", "read_file": "Read", "apply_patch": "edit_file",
              "write_file": "create_file", "update_plan": "todo_write"}  # fmt: skip


def _iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def _ms(ts: datetime) -> int:
    return round(ts.timestamp() * 1000)


def _usage(call: Call, *, timed: bool) -> dict[str, Any]:
    usage: dict[str, Any] = {
        "model": call.model,
        "inputTokens": call.input,
        "outputTokens": call.output,
        "cacheCreationInputTokens": call.cache_write,
        "cacheReadInputTokens": call.cache_read,
        "totalInputTokens": call.input + call.cache_write + call.cache_read,
        "credits": round(call.output / 1000, 3),
    }
    if timed:
        usage["timestamp"] = _iso(call.ts)
    return usage


def _tool_use(call: Call, rng: random.Random) -> tuple[list[dict[str, Any]], list[str]]:
    blocks, ids = [], []
    for tool in call.tools:
        ident = f"toolu_{rng.getrandbits(64):016x}"
        key = "cmd" if tool.name == "shell" else "path"
        arguments = {key: tool.detail} if tool.detail else {}
        name = TOOL_NAMES.get(tool.name, tool.name)
        block = {"type": "tool_use", "id": ident, "name": name, "input": arguments}
        blocks.append({**block, "complete": True})
        ids.append(ident)
    return blocks, ids


def _thread(session: Session, rng: random.Random) -> dict[str, Any]:
    era = rng.random()
    ledger_until = (
        len(session.turns) if era < 0.2 else rng.randrange(1, len(session.turns) + 1)
        if era < 0.3 else 0
    )  # fmt: skip
    messages: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []

    def add(message: dict[str, Any]) -> dict[str, Any]:
        message["messageId"] = len(messages)
        messages.append(message)
        return message

    for number, turn in enumerate(session.turns):
        in_ledger = number < ledger_until
        prompt = add({"role": "user", "content": [{"type": "text", "text": turn.prompt}]})
        if not in_ledger:
            prompt["meta"] = {"sentAt": _ms(turn.ts)}
        for call in turn.calls:
            if rng.random() < 0.04:
                cancelled = {"model": call.model, "inputTokens": 0, "outputTokens": 0,
                             "cacheCreationInputTokens": 0, "cacheReadInputTokens": 0,
                             "timestamp": _iso(call.ts - timedelta(seconds=1))}  # fmt: skip
                add({"role": "assistant", "content": [], "usage": cancelled,
                     "state": {"type": "cancelled"}})  # fmt: skip
            blocks, ids = _tool_use(call, rng)
            content = [{"type": "thinking", "thinking": "…"}] if call.reasoning else []
            content += [{"type": "text", "text": "Done."}, *blocks]
            message = add({"role": "assistant", "content": content,
                           "usage": _usage(call, timed=not in_ledger),
                           "state": {"type": "complete", "stopReason": "end_turn"}})  # fmt: skip
            if in_ledger:
                events.append({
                    "id": str(uuidlib.UUID(int=rng.getrandbits(128), version=4)),
                    "timestamp": _iso(call.ts), "model": call.model,
                    "credits": round(call.output / 1000, 3),
                    "tokens": {"input": call.input, "output": call.output},
                    "operationType": "inference",
                    "fromMessageId": message["messageId"] - 1,
                    "toMessageId": message["messageId"],
                })  # fmt: skip
            if ids:
                add({"role": "user", "content": [
                    {"type": "tool_result", "toolUseID": ident,
                     "run": {"status": "done", "result": {"output": "ok", "exitCode": 0}}}
                    for ident in ids]})  # fmt: skip
    document: dict[str, Any] = {
        "v": rng.randint(20, 400),
        "id": "T-" + session.id,
        "created": _ms(session.start - timedelta(seconds=5)),
        "title": session.turns[0].prompt[:40],
        "messages": messages,
        "env": {"initial": {"trees": [{"displayName": session.project,
                                       "uri": f"file://{session.cwd}"}]}},
    }  # fmt: skip
    if events:
        document["usageLedger"] = {"events": events}
    return document


def write(plan: Plan, home: Path, rng: random.Random) -> list[Path]:
    """Write the plan's sessions as threads under ``home``; returns the files written."""
    folder = home / THREADS
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for session in plan.sessions:
        path = folder / f"T-{session.id}.json"
        indent = 2 if rng.random() < 0.5 else None
        path.write_text(json.dumps(_thread(session, rng), indent=indent), encoding="utf-8")
        files.append(path)
    return files
