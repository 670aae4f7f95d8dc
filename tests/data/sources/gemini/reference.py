"""An independent, deliberately simple reader of Gemini CLI chats.

It shares no code with tokentree: ``json.loads`` of whole files and the counting rules of
docs/counting.md ("Gemini CLI") written out in a few lines, so tests can compare tokentree's
numbers with a second implementation instead of with values copied from tokentree itself.
Rules: a ``gemini`` message with a non-empty ``tokens`` object is a call; in a ``.jsonl`` the
last such record of an id wins; the same (session, message id) in several files is one call;
input = input − cached + tool, cache read = cached, output = output + thoughts.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

KEYS = ("input", "output", "cached", "thoughts", "tool")


@dataclass
class Call:
    session: str
    ts: datetime
    model: str | None
    input: int
    output: int
    cache_read: int
    reasoning: int
    tools: list[str] = field(default_factory=list)


def _n(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return max(int(value), 0)


def _records(path: Path) -> tuple[dict, list[dict]]:
    """(session metadata, message records in file order) of one chat file."""
    text = path.read_bytes().decode("utf-8", "replace")
    if path.suffix == ".json":
        try:
            document = json.loads(text)
        except ValueError:
            return {}, []
        if not isinstance(document, dict):
            return {}, []
        messages = document.get("messages")
        return document, [m for m in messages or [] if isinstance(m, dict)]
    head: dict = {}
    messages: list[dict] = []
    for raw in text.split("\n"):
        try:
            record = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        if "sessionId" in record and "projectHash" in record and "type" not in record:
            head = head or record
        elif isinstance(record.get("id"), str) and "type" in record:
            messages.append(record)
    return head, messages


def read_calls(roots: list[Path]) -> list[Call]:
    """Every billed call under ``roots`` (chat files anywhere below them)."""
    calls: dict[tuple[str, str], Call] = {}
    for root in roots:
        for directory, _, names in sorted(os.walk(root)):
            for name in sorted(names):
                path = Path(directory, name)
                if path.suffix not in (".json", ".jsonl"):
                    continue
                head, messages = _records(path)
                own = head.get("sessionId") or path.stem
                parent = path.parent.name if path.parent.parent.name == "chats" else None
                for message in messages:
                    tokens = message.get("tokens")
                    if message.get("type") != "gemini" or not isinstance(tokens, dict):
                        continue
                    n = {key: _n(tokens.get(key)) for key in KEYS}
                    if not any(n.values()):
                        continue
                    stamp = message.get("timestamp") or head.get("startTime")
                    calls[(own, message["id"])] = Call(
                        session=parent or own,
                        ts=datetime.fromisoformat(stamp.replace("Z", "+00:00")),
                        model=message.get("model"),
                        input=max(n["input"] - n["cached"], 0) + n["tool"],
                        output=n["output"] + n["thoughts"],
                        cache_read=n["cached"],
                        reasoning=n["thoughts"],
                        tools=[t.get("name") for t in message.get("toolCalls") or []],
                    )
    return list(calls.values())


def day_totals(calls: list[Call], tz: str = "UTC") -> dict[str, dict[str, int]]:
    zone = ZoneInfo(tz)
    days: dict[str, dict[str, int]] = {}
    for call in calls:
        day = call.ts.astimezone(zone).date().isoformat()
        totals = days.setdefault(
            day, {"calls": 0, "input": 0, "output": 0, "cache_read": 0, "cache_write": 0}
        )
        totals["calls"] += 1
        totals["input"] += call.input
        totals["output"] += call.output
        totals["cache_read"] += call.cache_read
    return dict(sorted(days.items()))
