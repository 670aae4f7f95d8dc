"""Which files a cold start reads first, so the explorer shows the newest weeks early.

A line written at some time is in a file modified at or after it, so the files modified since a
local Monday hold every call of the weeks from that Monday on: read first, they make those
weeks complete, and the view shows only them (``View.since``) until the older files are read.
The cut is the start of the week in which the newest files reach a byte budget: the first read
holds at least the budget (when there is that much) and at most one week more.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tokentree.data.read.discovery import FoundFile

FIRST_BYTES = 64_000_000
"""Bytes the first read aims at (about a second's scan on a laptop)."""
SPLIT_BYTES = 256_000_000
"""A history with fewer bytes to read is read at once (its first frame comes soon anyway)."""


@dataclass(frozen=True, slots=True)
class FirstFrame:
    """How a cold start splits its read: the weeks of the newest ``budget`` bytes first, when
    ``threshold`` or more are to be read in all."""

    budget: int = FIRST_BYTES
    threshold: int = SPLIT_BYTES

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> FirstFrame:
        """``$TOKENTREE_FIRST_FRAME_BYTES`` and ``$TOKENTREE_SPLIT_BYTES`` where set (to tune or
        measure the split; a huge split threshold turns it off)."""
        return cls(
            _bytes(env.get("TOKENTREE_FIRST_FRAME_BYTES"), FIRST_BYTES),
            _bytes(env.get("TOKENTREE_SPLIT_BYTES"), SPLIT_BYTES),
        )

    def cutoff(self, files: Iterable[FoundFile], tz: str, since: date | None) -> date | None:
        """The local Monday from which on the files modified are read first (the view shows
        the weeks from it on meanwhile); None: read everything at once. ``since``: the
        user's ``--since`` (files modified before it are not read at all)."""
        zone = ZoneInfo(tz)
        floor = None if since is None else _start_ns(since, zone)
        candidates = sorted(
            (f for f in files if floor is None or f.mtime_ns >= floor),
            key=lambda f: f.mtime_ns,
            reverse=True,
        )
        if not candidates or sum(f.size for f in candidates) < self.threshold:
            return None
        taken = 0
        for found in candidates:
            taken += found.size
            if taken > self.budget:  # the budget is reached in this file's week: up to it
                cut = _monday(found.mtime_ns, zone)
                break
        else:
            return None  # everything fits: one read
        if since is not None and cut <= since:
            return None
        start = _start_ns(cut, zone)
        if all(f.mtime_ns >= start for f in candidates):
            return None  # nothing older: one read
        return cut


def _monday(mtime_ns: int, zone: ZoneInfo) -> date:
    day = datetime.fromtimestamp(mtime_ns / 1e9, zone).date()
    return day - timedelta(days=day.weekday())


def _start_ns(day: date, zone: ZoneInfo) -> int:
    return int(datetime.combine(day, time.min, tzinfo=zone).timestamp() * 1_000_000_000)


def _bytes(text: str | None, default: int) -> int:
    try:
        return max(0, int(text)) if text else default
    except ValueError:
        return default
