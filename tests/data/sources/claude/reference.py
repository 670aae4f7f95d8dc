"""An independent, deliberately simple reader of Claude Code transcripts.

It shares no code with tokentree: plain ``json.loads`` per line and the counting rules of
docs/counting.md written out in a few lines, so that tests can compare tokentree's numbers with
a second implementation instead of with values copied from tokentree itself.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo


@dataclass
class Call:
    key: tuple
    main: bool
    output: int
    ts: datetime
    model: str
    input: int
    cache_read: int
    cache_write: int
    session: str
    agent: str | None = None
    tools: set[str] = field(default_factory=set)


def _tokens(usage: dict, name: str) -> int:
    value = usage.get(name)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def _cache_write(usage: dict) -> int:
    cache = usage.get("cache_creation")
    if isinstance(cache, dict) and (
        "ephemeral_5m_input_tokens" in cache or "ephemeral_1h_input_tokens" in cache
    ):
        return _tokens(cache, "ephemeral_5m_input_tokens") + _tokens(
            cache, "ephemeral_1h_input_tokens"
        )
    return _tokens(usage, "cache_creation_input_tokens")


def _records(data: bytes) -> Iterator[dict]:
    """Every JSON object line of a file (a UTF-8 byte-order mark at its start is not data)."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    for raw in data.split(b"\n"):
        try:
            line = json.loads(raw.decode("utf-8", "replace"))
        except ValueError:
            continue
        if isinstance(line, dict):
            yield line


def _billed(line: dict) -> Iterator[dict[str, Any]]:
    """The billed requests one line records: an assistant line's own usage, or a subagent's
    assistant line copied into an ``agent_progress`` line; plus each ``advisor_message`` entry of
    ``usage.iterations`` (another model, billed apart from the top-level usage)."""
    if line.get("type") == "assistant":
        record = line
        main = not line.get("isSidechain", False)
        agent = line.get("agentId")
    elif line.get("type") == "progress":
        data = line.get("data") or {}
        record = data.get("message") if data.get("type") == "agent_progress" else None
        if not isinstance(record, dict) or record.get("type") != "assistant":
            return
        main, agent = False, data.get("agentId")  # a subagent's call, seen from its parent
    else:
        return
    message = record.get("message") or {}
    usage = message.get("usage")
    if not isinstance(usage, dict) or not record.get("timestamp"):
        return
    if message.get("model") == "<synthetic>" or record.get("isApiErrorMessage"):
        return
    common = {
        "main": main,
        "agent": agent,
        "ts": record["timestamp"],
        "request": record.get("requestId"),
        "session": line.get("sessionId") or "unknown",
    }
    tools = {
        block.get("name")
        for block in message.get("content") or []
        if isinstance(block, dict) and block.get("type") == "tool_use"
    }
    yield {
        **common,
        "id": message.get("id"),
        "model": message.get("model"),
        "usage": usage,
        "tools": tools,
    }
    advisors = [
        entry
        for entry in usage.get("iterations") or []
        if isinstance(entry, dict) and entry.get("type") == "advisor_message"
    ]
    for k, entry in enumerate(advisors, 1):
        if message.get("id"):
            yield {
                **common,
                "id": f"{message['id']}#advisor{k}",
                "model": entry.get("model"),
                "usage": entry,
                "tools": set(),
            }


def read_calls(roots: list[Path]) -> list[Call]:
    """Every billed call under ``roots``, deduplicated by the documented rules."""
    best: dict[tuple, Call] = {}
    tools: dict[tuple, set[str]] = {}
    order = 0
    for root in roots:
        for directory, _, names in sorted(os.walk(root)):
            for name in sorted(names):
                if not name.endswith(".jsonl"):
                    continue
                for line in _records(Path(directory, name).read_bytes()):
                    for billed in _billed(line):
                        order += 1
                        mid, usage = billed["id"], billed["usage"]
                        if not mid:
                            key: tuple = ("line", order)
                        elif billed["main"]:
                            key = (mid, billed["request"])
                        else:  # sidechain: the subagent's lines and every copy of them
                            key = (mid, "sidechain")
                        call = Call(
                            key=key,
                            main=billed["main"],
                            output=_tokens(usage, "output_tokens"),
                            ts=datetime.fromisoformat(billed["ts"].replace("Z", "+00:00")),
                            model=billed["model"] or "",
                            input=_tokens(usage, "input_tokens"),
                            cache_read=_tokens(usage, "cache_read_input_tokens"),
                            cache_write=_cache_write(usage),
                            session=billed["session"],
                            agent=billed["agent"],
                        )
                        tools.setdefault(key, set()).update(billed["tools"])
                        current = best.get(key)
                        rank = (call.main, call.output, call.ts)
                        if current is None or rank >= (current.main, current.output, current.ts):
                            best[key] = call
    main_ids = {key[0] for key, call in best.items() if call.main and key[0] != "line"}
    calls = []
    for key, call in best.items():
        if not call.main and key[0] != "line" and key[0] in main_ids:
            continue  # a sidechain replay of a main-thread message
        call.tools = tools.get(key, set())
        calls.append(call)
    return calls


def day_totals(calls: list[Call], tz: str) -> dict[str, dict[str, int]]:
    zone = ZoneInfo(tz)
    days: dict[str, dict[str, int]] = {}
    for call in calls:
        day = call.ts.astimezone(zone).date().isoformat()
        bucket = days.setdefault(
            day, {"input": 0, "output": 0, "cache_read": 0, "cache_write": 0, "calls": 0}
        )
        bucket["input"] += call.input
        bucket["output"] += call.output
        bucket["cache_read"] += call.cache_read
        bucket["cache_write"] += call.cache_write
        bucket["calls"] += 1
    return days
