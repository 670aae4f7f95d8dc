"""OpenCode's token records in tokentree's additive semantics, and its timestamps.

A ``tokens`` record (message-level or a ``step-finish`` part) is
``{total?, input, output, reasoning, cache: {read, write}}``. What the fields mean changed
between versions (docs/counting.md, "OpenCode"):

* current builds (``getUsage`` in ``session/index.ts``): ``input`` excludes cache reads and
  writes, ``output`` excludes ``reasoning``, ``total`` = the provider's total = the sum of all;
* builds before the reasoning split kept reasoning inside ``output``;
* early builds kept OpenAI's cached tokens inside ``input`` as well.

``total`` (when written) tells which of these a record follows: the first reading whose parts add
up to it wins. Without ``total`` the current semantics apply.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

SECONDS_BELOW = 100_000_000_000
"""Epoch values below this are seconds (MiMo-Code forks write seconds), above are milliseconds:
1e11 ms is 1973, 1e11 s is the year 5138."""


def count(value: Any) -> int:
    """A token count as a non-negative int (strings and floats accepted, anything else 0)."""
    if type(value) is int:
        return value if value > 0 else 0
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(value, 0)
    if isinstance(value, float):
        return max(int(value), 0) if math.isfinite(value) else 0
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return 0
        return count(number)
    return 0


@dataclass(frozen=True, slots=True)
class Usage:
    """One request's tokens: input uncached, output including reasoning."""

    input: int
    output: int
    cache_read: int
    cache_write: int
    reasoning: int

    @property
    def empty(self) -> bool:
        return not (self.input or self.output or self.cache_read or self.cache_write)


# (input includes the cache, output includes reasoning), most recent semantics first.
_READINGS = ((False, False), (False, True), (True, False), (True, True))


def billable(
    raw_input: Any, raw_output: Any, raw_reasoning: Any, read: Any, write: Any, total: Any
) -> Usage | None:
    """The usage of a token record's fields (None: there is no record, every field missing)."""
    if (
        raw_input is None
        and raw_output is None
        and read is None
        and write is None
        and raw_reasoning is None
        and total is None
    ):
        return None
    inp, output, reasoning = count(raw_input), count(raw_output), count(raw_reasoning)
    read, write = count(read), count(write)
    input_has_cache, output_has_reasoning = False, False
    if total is not None and (reasoning or read or write):
        expected = count(total)
        for has_cache, has_reasoning in _READINGS:
            if has_cache and inp < read + write:
                continue
            parts = inp + (0 if has_cache else read + write) + output
            parts += 0 if has_reasoning else reasoning
            if parts == expected:
                input_has_cache, output_has_reasoning = has_cache, has_reasoning
                break
    return Usage(
        input=inp - read - write if input_has_cache else inp,
        output=output if output_has_reasoning else output + reasoning,
        cache_read=read,
        cache_write=write,
        reasoning=reasoning,
    )


def epoch_ms(value: Any) -> int | None:
    """An epoch timestamp in milliseconds (seconds are scaled), or None when it is not one."""
    if type(value) is int and SECONDS_BELOW <= value < 253_402_300_800_000:
        return value  # the usual case: milliseconds
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if not math.isfinite(value) or value <= 0:
        return None
    ms = value * 1000 if value < SECONDS_BELOW else value
    return int(ms) if ms < 253_402_300_800_000 else None  # before the year 10000


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def utc(ms: int, micros: int = 0) -> datetime:
    return EPOCH + timedelta(milliseconds=ms, microseconds=micros)


def cost(value: Any) -> float | None:
    """A cost the record states, when it is a positive finite number (0 means "unknown" to
    OpenCode, whose prices come from models.dev)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value > 0 else None
