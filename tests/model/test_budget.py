"""Budget periods and alert thresholds: each fires once, the highest reached first."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tokentree.model.budget import Period, Usage, due, period_key, threshold_reached

NOW = datetime(2026, 11, 20, 23, 58, tzinfo=UTC)


@pytest.mark.parametrize(
    ("period", "key"),
    [
        (Period.DAY, "2026-11-20"),
        (Period.WEEK, "2026-W47"),
        (Period.MONTH, "2026-11"),
        (Period.BLOCK, "claude@1795734000"),
    ],
)
def test_period_keys(period: Period, key: str) -> None:
    assert period_key(period, NOW, block="claude@1795734000") == key


def test_iso_week_at_the_turn_of_the_year() -> None:
    assert period_key(Period.WEEK, datetime(2027, 1, 1, tzinfo=UTC)) == "2026-W53"


@pytest.mark.parametrize(
    ("used", "reached"),
    [(0, 0), (9.99, 0), (10, 50), (15.99, 50), (16, 80), (19.99, 80), (20, 100), (55, 100)],
)
def test_thresholds(used: float, reached: int) -> None:
    assert threshold_reached(used, 20) == reached


def test_each_threshold_fires_once_and_only_the_highest_reached() -> None:
    def usage(used: float) -> Usage:
        return Usage(Period.DAY, "2026-11-20", used, 20.0, "usd")

    fired = 0
    raised = []
    for used in (5, 11, 12, 17, 18, 25, 30):
        alert = due(usage(used), fired)
        if alert:
            raised.append((used, alert.threshold))
            fired = alert.threshold
    assert raised == [(11, 50), (17, 80), (25, 100)]
    first_look = due(usage(17), 0)  # first seen at 85 %: only the 80 % alert
    assert first_look is not None and first_look.threshold == 80
    assert due(Usage(Period.DAY, "x", 5, 0, "usd"), 0) is None  # no limit, no alert
