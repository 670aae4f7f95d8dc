"""What a source's sample data holds, computed by the test that wrote it (never by tokentree)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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
