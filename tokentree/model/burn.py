"""Burn rate (tokens per minute, dollars per hour over the last minutes) and when a limit is
reached at that rate.

The rate is the usage in the trailing :data:`RATE_WINDOW` (whole minutes, counted up to now)
divided by the time it covers: the whole window when there was usage before it began, else the
time since the first usage (at least a minute), so a session that started three minutes ago is
not averaged over ten.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from tokentree.model.blocks import Point, minute_of
from tokentree.model.usage import UNITS_PER_USD

RATE_WINDOW = 10 * 60.0
"""Seconds of usage the burn rate looks back over."""
MIN_SPAN = 60.0
"""The shortest span a rate is averaged over (one call is not a rate of infinity)."""


class BurnRate(NamedTuple):
    tokens: int
    """Tokens in the span."""
    cost_units: int
    span: float
    """Seconds the rate is averaged over."""

    @property
    def tokens_per_minute(self) -> float:
        return self.tokens * 60.0 / self.span if self.span else 0.0

    @property
    def usd_per_hour(self) -> float:
        return self.cost_units / UNITS_PER_USD * 3600.0 / self.span if self.span else 0.0

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.span if self.span else 0.0

    @property
    def usd_per_second(self) -> float:
        return self.cost_units / UNITS_PER_USD / self.span if self.span else 0.0


def burn_rate(points: Iterable[Point], now: float, window: float = RATE_WINDOW) -> BurnRate:
    """The rate of ``points`` over the minutes from the one ``window`` seconds before ``now``'s
    up to ``now`` (whole minutes: see :class:`~tokentree.model.blocks.Point`; zero when idle)."""
    since = minute_of(now) - window
    tokens = units = 0
    earliest: float | None = None
    for point in points:
        if point.at > now:
            continue
        earliest = point.at if earliest is None else min(earliest, point.at)
        if minute_of(point.at) >= since:
            tokens += point.tokens
            units += point.cost_units
    if earliest is None or earliest < since:
        span = now - since
    else:
        span = min(now - since, max(now - earliest, MIN_SPAN))
    return BurnRate(tokens, units, span)


def reaches_at(used: float, limit: float, per_second: float, now: float) -> float | None:
    """When ``used`` grows to ``limit`` at ``per_second``: None when it already has, or
    never will at this rate."""
    if used >= limit or per_second <= 0:
        return None
    return now + (limit - used) / per_second
