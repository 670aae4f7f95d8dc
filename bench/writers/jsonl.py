"""Write a :class:`bench.plan.Plan` as JSONL usage feeds, the way proxies and scripts write them.

Under ``home/.local/share/tokentree/feeds/`` (the default feeds directory when ``home`` plays
``$HOME``): a proxy's log rotated per UTC day and a script's feed, with the quirks real feeds
have. None of them changes what was billed:

* the proxy logs a request again after a retry (same ``request_id``; rotation can put the copy
  in the next day's file);
* OpenAI-style prompt counts (``cached_included: true``: input includes cache reads and writes);
* timestamps with non-UTC offsets, epoch seconds and epoch milliseconds;
* numbers written as strings or floats;
* malformed lines (cut JSON, records without a model) between the records, and a blank line;
* the script writes no request ids (its records are never merged) and no session ids.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from bench.plan import Call, Plan, Session

FEEDS = Path(".local/share/tokentree/feeds")
OFFSETS = (timedelta(0), timedelta(hours=-5), timedelta(hours=5, minutes=30), timedelta(hours=9))


def _timestamp(ts: datetime, rng: random.Random) -> Any:
    style = rng.randrange(4)
    if style == 0:
        return ts.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if style == 1:
        zone = timezone(rng.choice(OFFSETS))
        return ts.astimezone(zone).isoformat(timespec="microseconds")
    micros = round(ts.timestamp() * 1e6)
    if style == 2:
        return micros / 1e6 if micros % 1_000_000 else micros // 1_000_000
    return micros // 1000 if micros % 1000 == 0 else micros / 1000


def _number(value: int, rng: random.Random) -> Any:
    style = rng.randrange(6)
    return str(value) if style == 0 else float(value) if style == 1 else value


def _record(call: Call, session: Session, rng: random.Random, *, proxy: bool) -> dict[str, Any]:
    record: dict[str, Any] = {"timestamp": _timestamp(call.ts, rng), "model": call.model}
    if proxy and rng.random() < 0.5:
        record["input_tokens"] = _number(call.input + call.cache_read + call.cache_write, rng)
        record["cached_included"] = True
    else:
        record["input_tokens"] = _number(call.input, rng)
    record["output_tokens"] = _number(call.output, rng)
    if call.cache_read or rng.random() < 0.5:
        record["cache_read_tokens"] = _number(call.cache_read, rng)
    if call.cache_write:
        record["cache_write_tokens"] = _number(call.cache_write, rng)
    if call.reasoning:
        record["reasoning_tokens"] = call.reasoning
    if proxy:
        record["request_id"] = f"chatcmpl-{call.id}"
        record["session_id"] = session.id
        record["service"] = "litellm"
    record["project"] = session.project
    if call.tools:
        record["tools"] = [
            {"name": t.name, "detail": t.detail} if t.detail else t.name for t in call.tools
        ]
    return record


def _malformed(rng: random.Random) -> str:
    whole = json.dumps({"timestamp": "2026-01-01T00:00:00Z", "input_tokens": 5, "output_tokens": 1})
    return whole if rng.random() < 0.5 else whole[: rng.randrange(5, len(whole) - 1)]


def write(plan: Plan, home: Path, rng: random.Random) -> list[Path]:
    """Write the plan's sessions as feeds under ``home``; returns the files written."""
    root = home / FEEDS
    files: dict[Path, list[str]] = {}
    for session in plan.sessions:
        proxy = rng.random() < 0.7
        for call in session.calls():
            day = call.ts.astimezone(UTC).date()
            name = f"proxy/{day.isoformat()}.jsonl" if proxy else f"scripts/{session.project}.jsonl"
            lines = files.setdefault(root / name, [])
            record = _record(call, session, rng, proxy=proxy)
            lines.append(json.dumps(record, separators=(",", ":")))
            if proxy and rng.random() < 0.1:  # the proxy logs the request again
                later = root / f"proxy/{(day + timedelta(days=1)).isoformat()}.jsonl"
                target = later if rng.random() < 0.3 else root / name
                files.setdefault(target, []).append(json.dumps(record))
            if rng.random() < 0.02:
                lines.append(_malformed(rng))
    written = []
    for path, lines in sorted(files.items()):
        if lines and rng.random() < 0.2:
            lines.insert(rng.randrange(len(lines)), "")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        written.append(path)
    return written
