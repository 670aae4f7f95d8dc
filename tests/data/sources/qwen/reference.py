"""An independent, plain reader of Qwen Code chats (no tokentree imports): every ``assistant``
record with ``usageMetadata`` is a call, once per (uuid, time, prompt count) — a re-appended
record and a ``/branch`` copy are the same call. Gemini API counts: cached ⊂ prompt; thoughts
are output unless the total shows them inside the candidates; a total above the parts is output."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

FIELDS = ("input", "output", "cache_read", "cache_write")


def _n(value: object) -> int:
    return (
        max(int(value), 0) if isinstance(value, int | float) and not isinstance(value, bool) else 0
    )


def counts(meta: dict) -> dict[str, int]:
    prompt, cand = _n(meta.get("promptTokenCount")), _n(meta.get("candidatesTokenCount"))
    cached, thoughts = _n(meta.get("cachedContentTokenCount")), _n(meta.get("thoughtsTokenCount"))
    tool, total = _n(meta.get("toolUsePromptTokenCount")), _n(meta.get("totalTokenCount"))
    inside = thoughts > 0 and total > 0 and total == prompt + cand + tool
    output = cand + (0 if inside else thoughts)
    output += max(total - prompt - tool - output, 0)
    return {"input": max(prompt - cached, 0) + tool, "output": output, "cache_read": cached,
            "cache_write": 0}  # fmt: skip


def read_calls(root: Path) -> dict[object, tuple[datetime, dict[str, int]]]:
    calls: dict[object, tuple[datetime, dict[str, int]]] = {}
    for path in sorted(root.glob("*/chats/*.jsonl")):
        for raw in path.read_bytes().split(b"\n"):
            try:
                record = json.loads(raw)
            except ValueError:
                continue
            if not isinstance(record, dict) or record.get("type") != "assistant":
                continue
            meta = record.get("usageMetadata")
            if not isinstance(meta, dict) or not any(_n(v) for v in meta.values()):
                continue
            found = counts(meta)
            ts = datetime.fromisoformat(record["timestamp"].replace("Z", "+00:00"))
            uuid = record.get("uuid")
            key = (
                (uuid, record["timestamp"], _n(meta.get("promptTokenCount")))
                if uuid
                else (record["timestamp"], record.get("model"), *found.values())
            )
            calls.setdefault(key, (ts, found))
    return calls


def day_totals(root: Path) -> dict[str, dict[str, int]]:
    days: dict[str, dict[str, int]] = {}
    for ts, found in read_calls(root).values():
        row = days.setdefault(ts.date().isoformat(), {"calls": 0, **dict.fromkeys(FIELDS, 0)})
        row["calls"] += 1
        for name in FIELDS:
            row[name] += found[name]
    return dict(sorted(days.items()))
