"""The 5-hour usage window of subscription plans: blocks, and how the window drifts.

Claude's and Codex's plans meter usage in 5-hour windows. A window (a *block*) opens with the
first call made after the previous block closed, at the start of that call's hour (UTC: the
official ``resets_at`` values fall on the hour; ccusage's ``blocks`` uses the same rule), and
closes five hours later. A gap of five hours or more between two calls therefore always starts
a new block, which is how a caller can start the chain without the whole history.

*Drift* looks at the same usage as a rolling window: the oldest usage inside the trailing five
hours leaves it at its time plus five hours; :func:`drift` says when that happens and how much
leaves in the half hour after.

Times are POSIX seconds (floats); money is cost units (2^-30 USD, see :mod:`.usage`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

HOUR = 3600.0
WINDOW = 5 * HOUR
"""The length of a block and of the rolling window, in seconds."""
DRIFT_HORIZON = 30 * 60.0
""":func:`drift` counts the usage that leaves the window within this many seconds."""


MINUTE = 60.0


def minute_of(at: float) -> float:
    """The start of the minute holding ``at``."""
    return at - at % MINUTE


class Point(NamedTuple):
    """One call, or the calls of one minute, as the windows see them. Windows count whole
    minutes (a minute is in a window when its start is), so a minute's calls stand for them
    exactly: the summary keeps the trailing five hours bounded however many calls they hold."""

    at: float
    """When (POSIX seconds): the first call's time."""
    tokens: int
    cost_units: int = 0
    calls: int = 1
    last: float | None = None
    """The last call's time, in the same minute (None: one call, at :attr:`at`)."""

    @property
    def end(self) -> float:
        return self.at if self.last is None else self.last


class Block(NamedTuple):
    """One 5-hour block and the usage inside it."""

    start: float
    end: float
    tokens: int
    cost_units: int
    calls: int
    first: float
    """The first call's time."""
    last: float
    """The last call's time."""

    def active(self, now: float) -> bool:
        return self.start <= now < self.end

    def elapsed(self, now: float) -> float:
        """Seconds since the block opened (at most its length)."""
        return min(max(now - self.start, 0.0), self.end - self.start)


def block_start(at: float) -> float:
    """The start of the block opened by a call at ``at``: its hour, in UTC."""
    return at - at % HOUR


def blocks(points: Iterable[Point], window: float = WINDOW) -> list[Block]:
    """The blocks of ``points`` (in time order), oldest first."""
    found: list[Block] = []
    start = end = first = last = 0.0
    tokens = units = calls = 0
    for point in points:
        if calls and point.at >= end:
            found.append(Block(start, end, tokens, units, calls, first, last))
            calls = 0
        if not calls:
            start = block_start(point.at)
            end, first, tokens, units = start + window, point.at, 0, 0
        tokens += point.tokens
        units += point.cost_units
        calls += point.calls
        last = point.end
    if calls:
        found.append(Block(start, end, tokens, units, calls, first, last))
    return found


def current_block(points: Iterable[Point], now: float, window: float = WINDOW) -> Block | None:
    """The block open at ``now`` (None when the last one has closed or there is no usage)."""
    found = blocks((p for p in points if p.at <= now), window)
    return found[-1] if found and found[-1].active(now) else None


def latest_block_start(times: Iterable[float], window: float = WINDOW) -> float | None:
    """The start of the block holding the last of ``times`` (sorted), from timestamps alone."""
    start: float | None = None
    end = 0.0
    for at in times:
        if start is None or at >= end:
            start = block_start(at)
            end = start + window
    return start


def usage_between(points: Iterable[Point], start: float, end: float) -> Block | None:
    """The usage of ``points`` (in time order) in the minutes from ``start``'s to ``end``'s
    (excluded) as a block (an official window whose reset time the assistant reported); None
    when there is none."""
    low, high = minute_of(start), minute_of(end)
    inside = [p for p in points if low <= minute_of(p.at) < high]
    if not inside:
        return None
    return Block(
        start,
        end,
        sum(p.tokens for p in inside),
        sum(p.cost_units for p in inside),
        sum(p.calls for p in inside),
        inside[0].at,
        inside[-1].end,
    )


class Drift(NamedTuple):
    """When the rolling window's oldest usage expires and what leaves with it."""

    expires_at: float
    """The oldest usage in the window leaves it then."""
    tokens: int
    """Tokens leaving within :attr:`horizon` seconds of :attr:`expires_at`."""
    cost_units: int
    horizon: float
    window_tokens: int
    """All tokens in the rolling window now."""
    window_cost_units: int


def drift(
    points: Sequence[Point],
    now: float,
    window: float = WINDOW,
    horizon: float = DRIFT_HORIZON,
) -> Drift | None:
    """The rolling window's next expiry after ``now`` (None when the window is empty). The
    window is the minutes after the one ``window`` seconds before ``now``'s, up to ``now``;
    what leaves is the usage of the ``horizon`` seconds of minutes from the oldest one's."""
    top = minute_of(now)
    inside = sorted(
        (p for p in points if top - window < minute_of(p.at) and p.at <= now), key=lambda p: p.at
    )
    if not inside:
        return None
    expires = inside[0].at + window
    edge = minute_of(inside[0].at) + horizon
    leaving = [p for p in inside if minute_of(p.at) < edge]
    return Drift(
        expires,
        sum(p.tokens for p in leaving),
        sum(p.cost_units for p in leaving),
        horizon,
        sum(p.tokens for p in inside),
        sum(p.cost_units for p in inside),
    )
