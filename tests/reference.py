"""An independent, deliberately simple reader of Claude Code transcripts.

It shares no code with tokentree: plain ``json.loads`` per line and the counting rules of
docs/counting.md written out in a few lines, so that tests can compare tokentree's numbers with
a second implementation instead of with values copied from tokentree itself.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
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
    tools: set[str] = field(default_factory=set)


def _tokens(usage: dict, name: str) -> int:
    value = usage.get(name)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


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
                data = Path(directory, name).read_bytes()
                for raw in data.split(b"\n"):
                    order += 1
                    try:
                        line = json.loads(raw.decode("utf-8", "replace"))
                    except ValueError:
                        continue
                    if not isinstance(line, dict) or line.get("type") != "assistant":
                        continue
                    message = line.get("message") or {}
                    usage = message.get("usage")
                    if not isinstance(usage, dict) or not line.get("timestamp"):
                        continue
                    if message.get("model") == "<synthetic>" or line.get("isApiErrorMessage"):
                        continue
                    mid = message.get("id")
                    key = (mid, line.get("requestId")) if mid else ("line", order)
                    cache = usage.get("cache_creation")
                    if isinstance(cache, dict) and (
                        "ephemeral_5m_input_tokens" in cache or "ephemeral_1h_input_tokens" in cache
                    ):
                        write = _tokens(cache, "ephemeral_5m_input_tokens") + _tokens(
                            cache, "ephemeral_1h_input_tokens"
                        )
                    else:
                        write = _tokens(usage, "cache_creation_input_tokens")
                    call = Call(
                        key=key,
                        main=not line.get("isSidechain", False),
                        output=_tokens(usage, "output_tokens"),
                        ts=datetime.fromisoformat(line["timestamp"].replace("Z", "+00:00")),
                        model=message.get("model") or "",
                        input=_tokens(usage, "input_tokens"),
                        cache_read=_tokens(usage, "cache_read_input_tokens"),
                        cache_write=write,
                        session=line.get("sessionId") or "unknown",
                    )
                    for block in message.get("content") or []:
                        if isinstance(block, dict) and block.get("type") == "tool_use":
                            tools.setdefault(key, set()).add(block.get("name"))
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
