"""A Goose session's counters in tokentree's additive semantics, and its times.

Goose adds every provider response's usage to the session (``update_session_metrics`` in
``agents/reply_parts.rs``): ``accumulated_*`` are those running sums — what the session was
billed — while ``input_tokens``/``output_tokens``/``total_tokens`` (and ``cache_*_tokens``) hold
the latest request only (what Goose shows as the context in use). Goose's ``Usage``
(``providers/base.rs``) documents ``input_tokens`` as *all* prompt tokens, cache reads and writes
included (providers that report them apart, Anthropic and Bedrock, are folded in), and
``total_tokens`` as the provider's total, which for Gemini also holds the thinking tokens the
output count leaves out.

Newer Goose also writes every response's usage to ``usage_ledger`` (one row per request, with
its time and model, in the same semantics) and adds the same numbers to the running sums; a
session's first ledger row is preceded by a ``carried_forward`` row holding what the sums
counted before the ledger existed.

So: per request from the ledger, else the accumulated counters when the session has them (rows
written before Goose kept them hold only the latest request); uncached input = input − cache
read − cache write (when the cache fits inside the input; rows that disagree keep the input as
it is), output = output + whatever the total holds beyond input and output (kept as
``reasoning`` too).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

ACCUMULATED = (
    "accumulated_input_tokens",
    "accumulated_output_tokens",
    "accumulated_total_tokens",
    "accumulated_cache_read_tokens",
    "accumulated_cache_write_tokens",
)
LATEST = (
    "input_tokens",
    "output_tokens",
    "total_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
)


def count(value: Any) -> int:
    """A token counter as a non-negative int (anything else is 0)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    if isinstance(value, float) and not math.isfinite(value):
        return 0
    return max(int(value), 0)


@dataclass(frozen=True, slots=True)
class Usage:
    input: int
    output: int
    cache_read: int
    cache_write: int
    reasoning: int
    accumulated: bool
    """False: the session has no running sums, only its latest request's counts."""


def _usage(counters: list[int], accumulated: bool) -> Usage | None:
    """(input, output, total, cache read, cache write) as Goose records them -> tokentree's."""
    inp, out, total, read, write = counters
    if not (inp or out or total):
        return None
    uncached = inp - read - write if read + write <= inp else inp
    surplus = max(total - inp - out, 0)
    return Usage(uncached, out + surplus, read, write, surplus, accumulated)


def session_usage(row: dict[str, Any]) -> Usage | None:
    """The billed usage of one ``sessions`` row (None: it never reached the model)."""
    accumulated = [count(row.get(name)) for name in ACCUMULATED]
    if any(accumulated[:3]):
        return _usage(accumulated, True)
    return _usage([count(row.get(n)) for n in LATEST], False)


def request_usage(row: dict[str, Any]) -> Usage | None:
    """The usage of one ``usage_ledger`` row (the ledger uses the latest-request names)."""
    return _usage([count(row.get(name)) for name in LATEST], True)


def unledgered_usage(session: dict[str, Any], ledger: list[dict[str, Any]]) -> Usage | None:
    """What a session's running sums hold beyond its ledger rows (Goose itself takes the larger
    of the two per counter): nothing for a session whose every request is in the ledger."""
    summed = [sum(count(row.get(name)) for row in ledger) for name in LATEST]
    rest = [max(count(session.get(n)) - s, 0) for n, s in zip(ACCUMULATED, summed, strict=True)]
    return _usage(rest, True)


def cost(value: Any) -> float | None:
    """Goose's own running cost (``accumulated_cost``, USD), when it states one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value > 0 else None


def timestamp(value: Any) -> datetime | None:
    """``created_at``: SQLite's ``CURRENT_TIMESTAMP`` text (UTC, ``YYYY-MM-DD HH:MM:SS``), an
    RFC 3339 text (imported sessions), or epoch seconds/milliseconds."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value) or value <= 0:
            return None
        seconds = value / 1000 if value > 1e12 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return timestamp(int(text))
    text = text.replace(" ", "T", 1)
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
