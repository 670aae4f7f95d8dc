"""What the usage is *now*: today's, this week's and this month's totals, the burn rate, each
plan's 5-hour window (official readings preferred to estimates) and the budgets, worked out from
a :class:`~tokentree.service.summary.Summary` at a given time, without DuckDB.

Live mode recomputes this every few seconds from the summary it collected last (so "resets in"
and the burn rate move with the clock); the statusline computes it once, with the calls it
found in the current transcript's tail added.

Windows: Claude and Codex each have their own (:data:`~tokentree.service.summary.FAMILIES`).
When the assistant reported its 5-hour window (a current reading with a reset time), the window
is that one and tokentree counts the usage inside it; otherwise the window is estimated from
the calls (:mod:`tokentree.model.blocks`). A plan limit is never invented: a percentage is shown
only when the assistant reported one, or against a ``block_tokens`` budget the user set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from tokentree.model.blocks import WINDOW, Block, Drift, Point, blocks, drift, usage_between
from tokentree.model.budget import Period, Usage, period_key
from tokentree.model.burn import BurnRate, burn_rate, reaches_at
from tokentree.model.usage import UNITS_PER_USD
from tokentree.service.limits import FIVE_HOURS, WEEK, Reading, latest
from tokentree.service.summary import FAMILIES, PeriodTotals, Summary, TimePoint


class WindowState(NamedTuple):
    """One plan's 5-hour window now."""

    source: str
    label: str
    block: Block | None
    """The usage in the current window (None: no window is open)."""
    official: Reading | None
    """The assistant's own reading of this window, when current."""
    weekly: tuple[Reading, ...]
    """The assistant's weekly readings (all models first, then per model)."""
    drift: Drift | None
    burn: BurnRate

    @property
    def resets_at(self) -> float | None:
        if self.official is not None and self.official.resets_at is not None:
            return self.official.resets_at
        return self.block.end if self.block is not None else None

    @property
    def estimated(self) -> bool:
        """The window's bounds are tokentree's estimate (no official reset time)."""
        return self.official is None or self.official.resets_at is None


class UsageNow(NamedTuple):
    now: float
    zone: str
    today: PeriodTotals
    this_week: PeriodTotals
    this_month: PeriodTotals
    burn: BurnRate
    windows: tuple[WindowState, ...]
    budgets: tuple[Usage, ...]
    readings: tuple[Reading, ...]
    """Every current official reading (those of sources without a window too)."""

    def window(self, source: str | None) -> WindowState | None:
        """The window of ``source``'s plan, else the most recently used one."""
        for state in self.windows:
            if state.source == source:
                return state
        active = [w for w in self.windows if w.block is not None]
        return max(active, key=lambda w: w.block.last if w.block else 0, default=None)


def _period_total(
    same: bool, summary_total: PeriodTotals, points: Sequence[TimePoint], since: float
) -> PeriodTotals:
    """The summary's total when it describes the same period, else what the points show of
    it (exact while the period began after the points' start)."""
    if same:
        return summary_total
    return _extra_total(points, since)


def _extra_total(points: Iterable[TimePoint], since: float) -> PeriodTotals:
    """The calls of ``points`` at or after ``since`` (a local midnight: a whole minute)."""
    inside = [p for p in points if p.at >= since]
    return PeriodTotals(
        sum(p.tokens for p in inside),
        sum(p.cost_units for p in inside),
        sum(p.calls for p in inside),
    )


def _estimated_block(points: list[Point], start: float | None, now: float) -> Block | None:
    """The open block of a chain starting at ``start`` (or at the first point)."""
    chained = [p for p in points if (start is None or p.at >= start) and p.at <= now]
    found = blocks(chained)
    return found[-1] if found and found[-1].active(now) else None


def usage_now(
    summary: Summary,
    now: float,
    *,
    readings: Iterable[Reading] = (),
    extra: Sequence[TimePoint] = (),
) -> UsageNow:
    """The usage at ``now`` from ``summary``, plus official ``readings`` beyond the summary's
    and ``extra`` calls it does not hold yet (a transcript's tail)."""
    zone = ZoneInfo(summary.zone)
    local = datetime.fromtimestamp(now, zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    monday = midnight - timedelta(days=local.weekday())
    first = midnight.replace(day=1)
    day, week, month = (period_key(p, local) for p in (Period.DAY, Period.WEEK, Period.MONTH))
    points = sorted((*summary.points, *extra), key=lambda p: p.at)
    today = _period_total(summary.day == day, summary.today, points, midnight.timestamp())
    this_week = _period_total(summary.week == week, summary.this_week, points, monday.timestamp())
    this_month = _period_total(
        summary.month == month, summary.this_month, points, first.timestamp()
    )
    if summary.day == day:
        today += _extra_total(extra, midnight.timestamp())
    if summary.week == week:
        this_week += _extra_total(extra, monday.timestamp())
    if summary.month == month:
        this_month += _extra_total(extra, first.timestamp())

    current = latest((*summary.readings, *readings), now)
    all_points = [p.point for p in points]
    windows = []
    for source, label in FAMILIES.items():
        own = [p.point for p in points if p.source == source]
        official = next(
            (r for r in current if r.source == source and r.window_minutes == FIVE_HOURS),
            None,
        )
        if official is not None and official.resets_at is not None:
            block = usage_between(own, official.resets_at - WINDOW, official.resets_at)
        else:
            block = _estimated_block(own, summary.block_starts.get(source), now)
        weekly = tuple(
            sorted(
                (r for r in current if r.source == source and r.window_minutes == WEEK),
                key=lambda r: (r.scope is not None, r.scope or ""),
            )
        )
        if block is None and official is None and not weekly:
            continue
        windows.append(
            WindowState(
                source, label, block, official, weekly, drift(own, now), burn_rate(own, now)
            )
        )
    burn = burn_rate(all_points, now)
    state = UsageNow(
        now, summary.zone, today, this_week, this_month, burn, tuple(windows), (), tuple(current)
    )
    return _with_budgets(state, summary.budgets, local)


def _with_budgets(state: UsageNow, budgets: Mapping[str, float], local: datetime) -> UsageNow:
    usages: list[Usage] = []
    usd_rate = state.burn.usd_per_second
    for period, name, total in (
        (Period.DAY, "daily_usd", state.today),
        (Period.WEEK, "weekly_usd", state.this_week),
        (Period.MONTH, "monthly_usd", state.this_month),
    ):
        limit = budgets.get(name)
        if limit:
            used = total.cost_units / UNITS_PER_USD
            usages.append(
                Usage(
                    period,
                    period_key(period, local),
                    used,
                    limit,
                    "usd",
                    reaches_at(used, limit, usd_rate, state.now),
                )
            )
    tokens_limit = budgets.get("block_tokens")
    if tokens_limit:
        for window in state.windows:
            if window.block is None:
                continue
            used = float(window.block.tokens)
            usages.append(
                Usage(
                    Period.BLOCK,
                    f"{window.source}@{int(window.block.start)}",
                    used,
                    tokens_limit,
                    "tokens",
                    reaches_at(used, tokens_limit, window.burn.tokens_per_second, state.now),
                    window.label,
                )
            )
    return state._replace(budgets=tuple(usages))
