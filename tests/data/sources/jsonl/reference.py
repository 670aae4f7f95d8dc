"""An independent, deliberately simple reader of JSONL feeds.

It shares no code with tokentree: ``json.loads`` per line and the rules of docs/data-sources.md
("JSONL feed") written out again in plain Python, so tests compare tokentree's numbers with a
second implementation instead of with values copied from tokentree itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

NUMBER = re.compile(r"\d+(\.\d+)?([eE][+-]?\d+)?", re.ASCII)
ISO = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d(:?\d\d)?)", re.ASCII)


@dataclass
class Call:
    key: object
    ts: datetime
    model: str
    input: int
    output: int
    cache_read: int
    cache_write: int
    cost: float | None


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if isinstance(value, int | float | str) else None


def count(value: object) -> int | None:
    """A non-negative token count written as a JSON number or a string; halves round up."""
    text = _text(value)
    if text is None or not NUMBER.fullmatch(text):
        return None
    rounded = int(Decimal(text).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return rounded if rounded < 2**63 else None


def when(value: object) -> datetime | None:
    text = _text(value)
    if text is None:
        return None
    if NUMBER.fullmatch(text):
        number = float(text)
        if number < 1e11:
            seconds = number
        elif number < 1e14:
            seconds = number / 1e3
        elif number < 1e17:
            seconds = number / 1e6
        else:
            seconds = number / 1e9
        return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=seconds)
    if not ISO.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:
        return None


def read_calls(roots: list[Path]) -> list[Call]:
    """Every usage record under ``roots`` (``*.jsonl``), one call per request id."""
    by_request: dict[str, Call] = {}
    anonymous: list[Call] = []
    for root in roots:
        files = [root] if root.is_file() else sorted(root.rglob("*.jsonl"))
        for path in files:
            for raw in path.read_bytes().split(b"\n"):
                try:
                    record = json.loads(raw.decode("utf-8", "replace").lstrip("\ufeff"))
                except ValueError:
                    continue
                call = _call(record)
                if call is None:
                    continue
                if call.key is None:
                    anonymous.append(call)
                    continue
                best = by_request.get(call.key)  # type: ignore[arg-type]
                if best is None or (call.output, call.ts) >= (best.output, best.ts):
                    by_request[call.key] = call  # type: ignore[index]
    return anonymous + list(by_request.values())


def _call(record: object) -> Call | None:
    if not isinstance(record, dict):
        return None
    ts = when(record.get("timestamp"))
    model = record.get("model")
    inp, out = count(record.get("input_tokens")), count(record.get("output_tokens"))
    if ts is None or model in (None, "") or inp is None or out is None:
        return None
    extra = {}
    for name in ("cache_read_tokens", "cache_write_tokens", "cache_write_1h_tokens"):
        value = record.get(name)
        extra[name] = 0 if value is None else count(value)
        if extra[name] is None:
            return None
    read, write = extra["cache_read_tokens"], extra["cache_write_tokens"]
    if extra["cache_write_1h_tokens"] > write:
        return None
    if record.get("cached_included") in (True, "true"):
        inp -= read + write
        if inp < 0:
            return None
    cost = record.get("cost_usd")
    cost_text = _text(cost)
    reported = float(cost_text) if cost_text and NUMBER.fullmatch(cost_text) else None
    request = record.get("request_id")
    return Call(
        key=str(request) if request not in (None, "") else None,
        ts=ts,
        model=str(model),
        input=inp,
        output=out,
        cache_read=read,
        cache_write=write,
        cost=reported,
    )


def day_totals(calls: list[Call], tz: str = "UTC") -> dict[str, dict[str, int]]:
    days: dict[str, dict[str, int]] = {}
    for call in calls:
        day = call.ts.astimezone(ZoneInfo(tz)).date().isoformat()
        totals = days.setdefault(
            day, {"calls": 0, "input": 0, "output": 0, "cache_read": 0, "cache_write": 0}
        )
        totals["calls"] += 1
        totals["input"] += call.input
        totals["output"] += call.output
        totals["cache_read"] += call.cache_read
        totals["cache_write"] += call.cache_write
    return dict(sorted(days.items()))
