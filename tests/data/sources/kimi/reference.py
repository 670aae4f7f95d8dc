"""An independent, plain reader of Kimi CLI wire logs (no tokentree imports): every
``StatusUpdate`` with ``token_usage`` — in a log or relayed in a ``SubagentEvent`` — is a step;
a step seen in several logs (a subagent's own log and its parent's relay, forked and imported
copies) counts once, by its message id, else by its time and counts."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

FIELDS = ("input", "output", "cache_read", "cache_write")


def _steps(path: Path) -> list[tuple[object, float, dict[str, int]]]:
    found = []
    for raw in path.read_bytes().split(b"\n"):
        try:
            line = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(line, dict) or not isinstance(line.get("message"), dict):
            continue
        message = line["message"]
        if message.get("type") == "SubagentEvent":
            message = (message.get("payload") or {}).get("event") or {}
        payload = message.get("payload") or {}
        usage = payload.get("token_usage")
        if message.get("type") != "StatusUpdate" or not isinstance(usage, dict):
            continue
        counts = {
            "input": usage.get("input_other", 0),
            "output": usage.get("output", 0),
            "cache_read": usage.get("input_cache_read", 0),
            "cache_write": usage.get("input_cache_creation", 0),
        }
        if not any(counts.values()):
            continue
        ts = line["timestamp"]
        key = payload.get("message_id") or (round(ts * 1e6), *counts.values())
        found.append((key, ts, counts))
    return found


def read_steps(share: Path) -> dict[object, tuple[float, dict[str, int]]]:
    steps: dict[object, tuple[float, dict[str, int]]] = {}
    for folder in ("sessions", "imported_sessions"):
        for path in sorted((share / folder).rglob("wire.jsonl")):
            for key, ts, counts in _steps(path):
                steps.setdefault(key, (ts, counts))
    return steps


def day_totals(share: Path) -> dict[str, dict[str, int]]:
    days: dict[str, dict[str, int]] = {}
    for ts, counts in read_steps(share).values():
        day = datetime.fromtimestamp(ts, tz=UTC).date().isoformat()
        row = days.setdefault(day, {"calls": 0, **dict.fromkeys(FIELDS, 0)})
        row["calls"] += 1
        for name in FIELDS:
            row[name] += counts[name]
    return dict(sorted(days.items()))


def _code_calls(path: Path) -> list[tuple[object, float, dict[str, int]]]:
    """A Kimi Code agent log's ``usage.record`` lines (``step.end`` repeats are not calls)."""
    found = []
    agent = path.parent.name
    for raw in path.read_bytes().split(b"\n"):
        try:
            line = json.loads(raw)
        except ValueError:
            continue
        if not isinstance(line, dict) or line.get("type") != "usage.record":
            continue
        usage = line.get("usage") or {}
        counts = {
            "input": usage.get("inputOther", 0),
            "output": usage.get("output", 0),
            "cache_read": usage.get("inputCacheRead", 0),
            "cache_write": usage.get("inputCacheCreation", 0),
        }
        if any(counts.values()):
            found.append(((agent, line["time"], line.get("model"), *counts.values()),
                          line["time"] / 1000, counts))  # fmt: skip
    return found


def code_day_totals(home: Path) -> dict[str, dict[str, int]]:
    """Per-day totals of a Kimi Code home: each request once (a fork's copy of a log repeats its
    lines: the same agent, time, model and counts)."""
    calls: dict[object, tuple[float, dict[str, int]]] = {}
    for path in sorted((home / "sessions").glob("*/*/agents/*/wire.jsonl")):
        for key, ts, counts in _code_calls(path):
            calls.setdefault(key, (ts, counts))
    days: dict[str, dict[str, int]] = {}
    for ts, counts in calls.values():
        day = datetime.fromtimestamp(ts, tz=UTC).date().isoformat()
        row = days.setdefault(day, {"calls": 0, **dict.fromkeys(FIELDS, 0)})
        row["calls"] += 1
        for name in FIELDS:
            row[name] += counts[name]
    return dict(sorted(days.items()))
