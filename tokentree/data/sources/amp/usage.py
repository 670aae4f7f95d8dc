"""Amp's usage records as tokentree counts them (docs/counting.md, "Amp").

A thread holds its usage in one of two shapes, never both for the same message:

* ``messages[].usage`` on assistant messages (the current schema): ``inputTokens`` (uncached),
  ``outputTokens``, ``cacheCreationInputTokens``, ``cacheReadInputTokens``, ``totalTokens``
  (their sum; ``totalInputTokens`` is the prompt's), ``model`` and ``timestamp``;
* ``usageLedger.events[]`` (threads written before January 2026): ``tokens{input, output,
  total}``, ``model``, ``timestamp`` and ``toMessageId``, the assistant message whose
  ``usage`` holds that request's cache reads and writes.

An event is the request of the message it names: the event's tokens and time, the message's
cache counts, and the message's own usage is not counted again. Assistant messages no event
names count from their usage (a thread continued after the ledger was retired has both), and
an event naming no message counts alone. A usage whose ``totalTokens`` exceeds its parts bills
the rest as output (a usage with only a total is all output, as ccusage counts it); a usage of
zero tokens is not a request.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Tokens:
    input: int
    output: int
    cache_read: int
    cache_write: int

    @property
    def total(self) -> int:
        return self.input + self.output + self.cache_read + self.cache_write


def count(value: Any) -> int:
    """A token count: integers, finite floats (rounded) and numeric strings; anything else
    (and anything negative) is 0."""
    if isinstance(value, bool) or value is None:
        return 0
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return 0
    if isinstance(value, float) and math.isfinite(value) and value > 0:
        return math.floor(value + 0.5)
    return 0


def tokens(
    input_: Any, output: Any, cache_read: Any, cache_write: Any, total: Any
) -> Tokens | None:
    """The request's token columns, or None when it bills nothing."""
    parts = Tokens(count(input_), count(output), count(cache_read), count(cache_write))
    rest = count(total) - parts.total
    if rest > 0:
        parts = Tokens(parts.input, parts.output + rest, parts.cache_read, parts.cache_write)
    return parts if parts.total > 0 else None


def message_tokens(usage: dict[str, Any]) -> Tokens | None:
    return tokens(
        usage.get("inputTokens"),
        usage.get("outputTokens"),
        usage.get("cacheReadInputTokens"),
        usage.get("cacheCreationInputTokens"),
        usage.get("totalTokens"),
    )


def event_tokens(event: dict[str, Any], message_usage: dict[str, Any] | None) -> Tokens | None:
    """A ledger event's tokens, with the cache counts of the message it names."""
    counted = event.get("tokens")
    counted = counted if isinstance(counted, dict) else {}
    cache = message_usage or {}
    return tokens(
        counted.get("input"),
        counted.get("output"),
        cache.get("cacheReadInputTokens"),
        cache.get("cacheCreationInputTokens"),
        counted.get("total"),
    )


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 time with its offset, or epoch milliseconds; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value / 1000, UTC) if math.isfinite(value) else None
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None
