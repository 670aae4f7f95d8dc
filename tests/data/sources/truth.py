"""What a source's sample data holds, computed by the test that wrote it (never by tokentree)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

TOKEN_KINDS = ("input", "output", "cache_read", "cache_write")


@dataclass(frozen=True, slots=True)
class Truth:
    """Exact totals of a sample, in tokentree's additive token semantics (input excludes cache
    reads and writes; output includes reasoning/thoughts)."""

    calls: int
    input: int
    output: int
    cache_read: int = 0
    cache_write: int = 0

    def __add__(self, other: Truth) -> Truth:
        return Truth(
            self.calls + other.calls,
            self.input + other.input,
            self.output + other.output,
            self.cache_read + other.cache_read,
            self.cache_write + other.cache_write,
        )

    def matches(self, totals: dict[str, Any]) -> bool:
        return (
            totals["calls"],
            totals["input"],
            totals["output"],
            totals["cache_read"],
            totals["cache_write"],
        ) == (self.calls, self.input, self.output, self.cache_read, self.cache_write)


def truth_of(totals: dict[str, Any]) -> Truth:
    """An export's totals as a Truth (for messages and comparisons)."""
    return Truth(
        totals["calls"],
        totals["input"],
        totals["output"],
        totals["cache_read"],
        totals["cache_write"],
    )


def truth_of_calls(calls: Collection[Any]) -> Truth:
    """The totals of calls that have the token kinds as attributes (a reference reader's)."""
    return Truth(len(calls), *(sum(getattr(c, k) for c in calls) for k in TOKEN_KINDS))


def tokens_by_day(days: dict[str, dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Each day's token kinds (no call count): a plan's, a reference reader's or an export's."""
    return {day: {k: totals[k] for k in TOKEN_KINDS} for day, totals in days.items()}
