"""Budgets and their alert thresholds: which threshold a period's usage has reached, and which
alert is due given what already fired.

An alert fires once per budget, period and threshold: when usage first reaches 50 %, 80 % or
100 % of a limit in a period (a day, an ISO week, a month, a 5-hour block). Only the highest
threshold reached fires: a first look at 85 % raises the 80 % alert, not 50 % as well.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import NamedTuple

THRESHOLDS = (50, 80, 100)
"""Percentages of a limit that raise an alert."""


class Period(StrEnum):
    DAY = "daily"
    WEEK = "weekly"
    MONTH = "monthly"
    BLOCK = "block"
    """A 5-hour block (its limit is in tokens)."""

    @property
    def label(self) -> str:
        return {"daily": "Daily", "weekly": "Weekly", "monthly": "Monthly", "block": "Block"}[
            self.value
        ]


def period_key(period: Period, local_now: datetime, block: str | None = None) -> str:
    """What identifies the current period: ``2026-11-20``, ``2026-W47``, ``2026-11``, or for a
    block the caller's ``block`` id (its family and start)."""
    if period is Period.DAY:
        return local_now.date().isoformat()
    if period is Period.WEEK:
        year, week, _ = local_now.isocalendar()
        return f"{year}-W{week:02d}"
    if period is Period.MONTH:
        return f"{local_now:%Y-%m}"
    return block or ""


def threshold_reached(used: float, limit: float) -> int:
    """The highest threshold ``used`` has reached (0: none yet)."""
    if limit <= 0:
        return 0
    reached = [t for t in THRESHOLDS if used * 100 >= limit * t]
    return reached[-1] if reached else 0


class Usage(NamedTuple):
    """One budget's usage in its current period."""

    period: Period
    key: str
    """:func:`period_key` of the current period."""
    used: float
    limit: float
    unit: str
    """``usd`` or ``tokens``."""
    reaches_at: float | None = None
    """When the limit is reached at the current burn rate (POSIX seconds; None: not at
    this rate, or already)."""
    scope: str = ""
    """What the period is of, when not everything (a block's family: ``Claude``)."""

    @property
    def fraction(self) -> float:
        return self.used / self.limit if self.limit > 0 else 0.0

    @property
    def alert_key(self) -> str:
        return f"{self.period.value}:{self.key}"


class Alert(NamedTuple):
    usage: Usage
    threshold: int


def due(usage: Usage, fired: int) -> Alert | None:
    """The alert to raise for ``usage`` when ``fired`` (the highest threshold already raised
    for this budget and period, 0 for none) is below the threshold reached."""
    reached = threshold_reached(usage.used, usage.limit)
    return Alert(usage, reached) if reached > fired else None
