"""An independent, plain reader of Factory Droid sessions (no tokentree imports): one call per
``<session>.settings.json`` with usage (the same session in two folders once, the larger kept),
dated by ``providerLockTimestamp``, else the conversation's first message, else the file's
modification time; thinking billed as output unless ``totalTokens`` shows it inside the output,
the cache inside the input when ``totalTokens`` = input + output (+ thinking)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

FIELDS = ("input", "output", "cache_read", "cache_write")


def _n(value: object) -> int:
    return (
        max(int(value), 0) if isinstance(value, int | float) and not isinstance(value, bool) else 0
    )


def counts(usage: dict) -> dict[str, int]:
    inp, out = _n(usage.get("inputTokens")), _n(usage.get("outputTokens"))
    write, read = _n(usage.get("cacheCreationTokens")), _n(usage.get("cacheReadTokens"))
    thinking, total = _n(usage.get("thinkingTokens")), _n(usage.get("totalTokens"))
    if total and thinking and total in (inp + out + write + read, inp + out):
        thinking = 0
    if (
        total
        and (write + read)
        and total in (inp + out, inp + out + _n(usage.get("thinkingTokens")))
    ):
        inp = max(inp - write - read, 0)
    output = out + thinking
    output += max(total - inp - read - write - output, 0) if total else 0
    return {"input": inp, "output": output, "cache_read": read, "cache_write": write}


def _when(value: object) -> datetime | None:
    """A time, or None for a missing one or one before 1971 (a zero or pre-epoch lock)."""
    found = None
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        found = datetime.fromtimestamp(value / 1000 if value > 1e11 else value, tz=UTC)
    elif isinstance(value, str):
        found = datetime.fromisoformat(value.replace("Z", "+00:00"))
        found = found if found.tzinfo else found.replace(tzinfo=UTC)
    return found if found is not None and found.year > 1970 else None


def _first_message(path: Path) -> datetime | None:
    if not path.exists():
        return None
    times = []
    for raw in path.read_bytes().split(b"\n"):
        try:
            line = json.loads(raw)
        except ValueError:
            continue
        if isinstance(line, dict) and line.get("type") == "message" and line.get("timestamp"):
            times.append(_when(line["timestamp"]))
    return min(times) if times else None


def read_sessions(root: Path) -> dict[str, tuple[datetime, dict[str, int]]]:
    sessions: dict[str, tuple[datetime, dict[str, int]]] = {}
    for path in sorted(root.rglob("*.settings.json")):
        try:
            settings = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        usage = settings.get("tokenUsage")
        if not isinstance(usage, dict) or not any(_n(v) for v in usage.values()):
            continue
        sid = path.name.removesuffix(".settings.json")
        ts = (
            _when(settings.get("providerLockTimestamp"))
            or _first_message(path.with_name(f"{sid}.jsonl"))
            or datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
        )
        found = counts(usage)
        kept = sessions.get(sid)
        if kept is None or found["output"] > kept[1]["output"]:
            sessions[sid] = (ts, found)
    return sessions


def day_totals(root: Path) -> dict[str, dict[str, int]]:
    days: dict[str, dict[str, int]] = {}
    for ts, found in read_sessions(root).values():
        row = days.setdefault(ts.date().isoformat(), {"calls": 0, **dict.fromkeys(FIELDS, 0)})
        row["calls"] += 1
        for name in FIELDS:
            row[name] += found[name]
    return dict(sorted(days.items()))
