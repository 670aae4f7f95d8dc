"""Budget alerts: raised once per budget, period and threshold, remembered in the state file.

The explorer and live mode check the budgets (``[budget]`` in the config) whenever the usage
changes; :class:`AlertBook` says which alerts are due and records them before they are shown,
re-reading the state file first, so an alert raised by another tokentree process or before a
restart is not raised again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from tokentree.model import format as fmt
from tokentree.model.budget import Alert, Period, Usage, due
from tokentree.service.state import StateFile

KEEP = 64
"""Fired-alert records kept (the newest; old periods never come back)."""


class AlertBook:
    def __init__(self, state: StateFile) -> None:
        self.state = state

    def check(self, usages: Iterable[Usage]) -> list[Alert]:
        """The alerts now due for ``usages``, recorded as fired."""
        fired = dict(self.state.load().alerts)
        found = [alert for u in usages if (alert := due(u, fired.get(u.alert_key, 0)))]
        if found:
            for alert in found:
                fired.pop(alert.usage.alert_key, None)
                fired[alert.usage.alert_key] = alert.threshold  # newest last
            self.state.update(alerts=dict(list(fired.items())[-KEEP:]))
        return found


def amount(value: float, unit: str) -> str:
    return fmt.usd(value) if unit == "usd" else f"{fmt.human_count(value)} tokens"


def budget_name(usage: Usage) -> str:
    """``Daily budget``, ``Claude 5-hour block budget`` …"""
    if usage.period is Period.BLOCK:
        return f"{usage.scope} 5-hour block budget".strip()
    return f"{usage.period.label} budget"


def projection(usage: Usage, zone: ZoneInfo) -> str:
    """``at this burn rate the limit is reached at 18:40`` (empty when it is not)."""
    if usage.reaches_at is None:
        return ""
    at = datetime.fromtimestamp(usage.reaches_at, zone)
    return f"at this burn rate the limit is reached at {at:%H:%M}"


def alert_message(alert: Alert, zone: ZoneInfo) -> str:
    """``Daily budget 80 % used: $16.10 of $20.00 · at this burn rate the limit is reached
    at 18:40``."""
    usage = alert.usage
    name = budget_name(usage)
    figures = f"{amount(usage.used, usage.unit)} of {amount(usage.limit, usage.unit)}"
    if alert.threshold >= 100:
        return f"{name} reached: {figures}"
    text = f"{name} {alert.threshold} % used: {figures}"
    later = projection(usage, zone)
    return f"{text} · {later}" if later else text
