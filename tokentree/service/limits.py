"""Official rate-limit readings: what the assistants themselves report about their plan's
windows, preferred to tokentree's estimates wherever there is one.

Two places carry them: Codex logs ``rate_limits`` with its token counts (the ``raw_limits``
table), and Claude Code passes ``rate_limits`` to its status-line command (``tokentree
statusline`` keeps them, see :mod:`tokentree.service.hook`). A reading stops counting when its
window has reset since. Stdlib only: the statusline imports this.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

FIVE_HOURS = 300
WEEK = 10080
"""Window lengths in minutes."""

CLAUDE_BUCKETS: dict[str, tuple[int, str | None]] = {
    "five_hour": (FIVE_HOURS, None),
    "seven_day": (WEEK, None),
    "seven_day_opus": (WEEK, "opus"),
    "seven_day_sonnet": (WEEK, "sonnet"),
    "seven_day_oauth_apps": (WEEK, "oauth apps"),
}
"""Claude Code's status-line ``rate_limits`` keys: window minutes and model scope."""


class Reading(NamedTuple):
    """One official reading of one limit."""

    source: str
    """``claude``, ``codex`` …"""
    window_minutes: int | None
    used_percent: float
    resets_at: float | None
    """When the window resets (POSIX seconds; None: not reported)."""
    at: float
    """When the reading was taken."""
    scope: str | None = None
    """A model family for per-model buckets (``opus``); None: all models."""
    limit_id: str | None = None

    @property
    def name(self) -> str:
        """``5h``, ``week``, ``week opus`` …"""
        if self.window_minutes == FIVE_HOURS:
            base = "5h"
        elif self.window_minutes == WEEK:
            base = "week"
        elif self.window_minutes:
            base = f"{self.window_minutes // 60}h"
        else:
            base = self.limit_id or "limit"
        return f"{base} {self.scope}" if self.scope else base

    def current(self, now: float) -> bool:
        """The window it describes has not reset since."""
        return self.resets_at is None or self.resets_at > now

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "window_minutes": self.window_minutes,
            "used_percent": self.used_percent,
            "resets_at": self.resets_at,
            "at": self.at,
            "scope": self.scope,
            "limit_id": self.limit_id,
        }

    @classmethod
    def from_json(cls, data: Any) -> Reading | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                str(data["source"]),
                _int(data.get("window_minutes")),
                float(data["used_percent"]),
                _float(data.get("resets_at")),
                float(data["at"]),
                _str(data.get("scope")),
                _str(data.get("limit_id")),
            )
        except (KeyError, TypeError, ValueError):
            return None


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def epoch(value: Any) -> float | None:
    """A reset time as POSIX seconds: Claude Code sends seconds; milliseconds and ISO 8601
    strings are accepted too."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) / 1000 if value > 1e11 else float(value)
    if isinstance(value, str) and value:
        from datetime import datetime

        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            return None
    return None


def claude_readings(rate_limits: Any, at: float) -> list[Reading]:
    """The readings in Claude Code's status-line ``rate_limits`` object (unknown buckets and
    malformed values are left out)."""
    if not isinstance(rate_limits, Mapping):
        return []
    found = []
    for key, (minutes, scope) in CLAUDE_BUCKETS.items():
        bucket = rate_limits.get(key)
        if not isinstance(bucket, Mapping):
            continue
        used = bucket.get("used_percentage", bucket.get("utilization"))
        if isinstance(used, bool) or not isinstance(used, int | float):
            continue
        found.append(
            Reading("claude", minutes, float(used), epoch(bucket.get("resets_at")), at, scope, key)
        )
    return found


def latest(readings: Iterable[Reading], now: float) -> list[Reading]:
    """The newest current reading per source, window and scope, in a stable order."""
    newest: dict[tuple[str, int | None, str | None, str | None], Reading] = {}
    for reading in readings:
        if not reading.current(now):
            continue
        key = (reading.source, reading.window_minutes, reading.scope, reading.limit_id)
        if key not in newest or reading.at > newest[key].at:
            newest[key] = reading
    return sorted(
        newest.values(),
        key=lambda r: (r.source, r.window_minutes or 0, r.scope or "", r.limit_id or ""),
    )
