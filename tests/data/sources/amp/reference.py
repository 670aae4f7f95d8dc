"""An independent, deliberately simple reader of Amp thread documents.

It shares no code with tokentree: ``json.loads`` of each ``threads/*.json`` and the counting
rules of docs/counting.md ("Amp") written out in a few lines. Rules: a ledger event is the
request of the assistant message it names (``toMessageId``), with that message's cache counts
(the first event naming it only), and the message's usage is not counted again; every other
assistant usage is a request; ``totalTokens`` beyond the parts is output; a request of no
tokens is not one; its time is the usage's ``timestamp`` (the event's), else the thread's
``created``; a thread id and message seen in two files counts once.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo


@dataclass
class Call:
    thread: str
    ts: datetime
    model: str | None
    input: int
    output: int
    cache_read: int
    cache_write: int


def _n(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return max(int(value), 0)


def _time(value: object) -> datetime | None:
    if isinstance(value, str):
        return datetime.fromisoformat(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, UTC)
    return None


def _counts(i: object, o: object, r: object, w: object, t: object) -> tuple[int, ...] | None:
    parts = [_n(i), _n(o), _n(r), _n(w)]
    parts[1] += max(_n(t) - sum(parts), 0)
    return tuple(parts) if sum(parts) else None


def read_thread(path: Path) -> list[tuple[tuple[str, str], Call]]:
    document = json.loads(path.read_text(encoding="utf-8"))
    thread = document.get("id") or path.stem
    created = _time(document.get("created"))
    messages = [m for m in document.get("messages") or [] if isinstance(m, dict)]
    assistants = {
        str(m["messageId"]): m
        for m in messages
        if m.get("role") == "assistant" and "messageId" in m
    }
    found: list[tuple[tuple[str, str], Call]] = []
    named: set[str] = set()
    for event in (document.get("usageLedger") or {}).get("events") or []:
        target = str(event.get("toMessageId"))
        message = assistants.get(target) if target not in named else None
        if message is not None:
            named.add(target)
        cache = (message or {}).get("usage") or {}
        tokens = event.get("tokens") or {}
        counts = _counts(
            tokens.get("input"), tokens.get("output"), cache.get("cacheReadInputTokens"),
            cache.get("cacheCreationInputTokens"), tokens.get("total"),
        )  # fmt: skip
        if counts:
            key = (thread, f"event:{event.get('id')}")
            ts = _time(event.get("timestamp")) or created
            found.append((key, Call(thread, ts, event.get("model"), *counts)))  # type: ignore[arg-type]
    for index, message in enumerate(messages):
        usage = message.get("usage")
        number = str(message.get("messageId", f"index{index}"))
        if message.get("role") != "assistant" or not isinstance(usage, dict) or number in named:
            continue
        counts = _counts(
            usage.get("inputTokens"), usage.get("outputTokens"),
            usage.get("cacheReadInputTokens"), usage.get("cacheCreationInputTokens"),
            usage.get("totalTokens"),
        )  # fmt: skip
        if counts:
            ts = _time(usage.get("timestamp")) or _time(message.get("timestamp")) or created
            call = Call(thread, ts, usage.get("model") or message.get("model"), *counts)  # type: ignore[arg-type]
            found.append(((thread, number), call))
    return found


def read_calls(roots: Iterable[Path]) -> list[Call]:
    seen: set[tuple[str, str]] = set()
    calls: list[Call] = []
    for root in roots:
        for path in sorted(Path(root).rglob("*.json")):
            for key, call in read_thread(path):
                if key not in seen:
                    seen.add(key)
                    calls.append(call)
    return calls


def day_totals(calls: Iterable[Call], tz: str = "UTC") -> dict[str, dict[str, int]]:
    zone = ZoneInfo(tz)
    days: dict[str, dict[str, int]] = {}
    for call in calls:
        totals = days.setdefault(
            call.ts.astimezone(zone).date().isoformat(),
            dict.fromkeys(("calls", "input", "output", "cache_read", "cache_write"), 0),
        )
        totals["calls"] += 1
        totals["input"] += call.input
        totals["output"] += call.output
        totals["cache_read"] += call.cache_read
        totals["cache_write"] += call.cache_write
    return dict(sorted(days.items()))
