"""An independent, deliberately simple reader of pi session files (pi's own and OpenClaw's).

It shares no code with tokentree: ``json.loads`` line by line and the counting rules of
docs/counting.md ("pi and OpenClaw") written out in a few lines, so tests compare tokentree's
numbers with a second implementation instead of with values copied from tokentree itself.

Rules: an assistant ``message`` with ``usage`` is a request; uncached input is ``input`` less
``cacheRead`` when ``totalTokens`` equals input + output and there are cache reads and no cache
writes (the prompt count of pi's Google providers), else ``input``; output is ``output`` plus any
excess of ``totalTokens`` over the parts; a request of no tokens is not one; its time is
``message.timestamp`` (epoch ms), else the entry's ``timestamp``; the same request (response id,
time, provider, model and counts) in several files or lines counts once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo


@dataclass
class Call:
    file: str
    ts: datetime
    model: str | None
    provider: str | None
    input: int
    output: int
    cache_read: int
    cache_write: int
    tools: list[str] = field(default_factory=list)


def _n(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return max(int(value), 0)


def _time(message: dict, entry: dict) -> datetime | None:
    stamp = message.get("timestamp")
    if isinstance(stamp, int | float) and not isinstance(stamp, bool):
        return datetime.fromtimestamp(stamp / 1000, UTC)
    for text in (stamp, entry.get("timestamp")):
        if isinstance(text, str):
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError:
                continue
            if parsed.tzinfo is not None:
                return parsed
    return None


def read_file(path: Path) -> list[tuple[tuple, Call]]:
    """(identity, call) of every request in one file, in file order."""
    found: list[tuple[tuple, Call]] = []
    model = provider = None
    for raw in path.read_bytes().decode("utf-8", "replace").split("\n"):
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(entry, dict):
            continue
        kind = entry.get("type")
        if kind == "model_change" or (
            kind == "custom" and entry.get("customType") == "model-snapshot"
        ):
            data = entry.get("data") if isinstance(entry.get("data"), dict) else entry
            model = data.get("modelId") or data.get("model") or model
            provider = data.get("provider") or provider
            continue
        message = entry.get("message")
        if kind not in (None, "message") or not isinstance(message, dict):
            continue
        usage = message.get("usage")
        if message.get("role") != "assistant" or not isinstance(usage, dict):
            continue
        i, o = _n(usage.get("input")), _n(usage.get("output"))
        r, w = _n(usage.get("cacheRead")), _n(usage.get("cacheWrite"))
        total = usage.get("totalTokens")
        t = _n(total) if total is not None else None
        if r > 0 and w == 0 and t is not None and t == i + o and i >= r:
            i -= r
        if t is not None and t > i + o + r + w:
            o += t - (i + o + r + w)
        ts = _time(message, entry)
        if i + o + r + w == 0 or ts is None:
            continue
        logged_model = message.get("modelId") or message.get("model")
        logged_provider = message.get("provider")
        identity = (
            message.get("responseId"),
            int(ts.timestamp() * 1000),
            logged_provider,
            logged_model,
            i, o, r, w, t,
        )  # fmt: skip
        content = message.get("content")
        tools = [
            block.get("name")
            for block in content or []
            if isinstance(content, list) and isinstance(block, dict)
            if block.get("type") == "toolCall"
        ]
        call = Call(
            str(path),
            ts,
            logged_model or model,
            logged_provider or provider,
            i, o, r, w,
            tools,
        )  # fmt: skip
        found.append((identity, call))
    return found


def read_calls(
    roots: Iterable[Path], is_session: Callable[[Path], bool] = lambda p: p.suffix == ".jsonl"
) -> list[Call]:
    """Every request under ``roots`` once (files in name order; the first copy wins)."""
    seen: set[tuple] = set()
    calls: list[Call] = []
    for root in roots:
        for path in sorted(p for p in Path(root).rglob("*") if p.is_file() and is_session(p)):
            for identity, call in read_file(path):
                if identity not in seen:
                    seen.add(identity)
                    calls.append(call)
    return calls


def day_totals(calls: Iterable[Call], tz: str = "UTC") -> dict[str, dict[str, int]]:
    zone = ZoneInfo(tz)
    days: dict[str, dict[str, int]] = {}
    for call in calls:
        day = call.ts.astimezone(zone).date().isoformat()
        totals = days.setdefault(
            day, dict.fromkeys(("calls", "input", "output", "cache_read", "cache_write"), 0)
        )
        totals["calls"] += 1
        totals["input"] += call.input
        totals["output"] += call.output
        totals["cache_read"] += call.cache_read
        totals["cache_write"] += call.cache_write
    return dict(sorted(days.items()))
