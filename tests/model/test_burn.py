"""Burn rate and projections with a fixed clock."""

from __future__ import annotations

import pytest

from tokentree.model.blocks import Point
from tokentree.model.burn import burn_rate, reaches_at
from tokentree.model.usage import UNITS_PER_USD

NOW = 1_800_000_000.0


def test_ongoing_usage_is_averaged_over_the_whole_window() -> None:
    points = [
        Point(NOW - 3600, 99_999),  # long before: only shows that usage was going on
        Point(NOW - 500, 4_000, UNITS_PER_USD // 2),
        Point(NOW - 20, 6_000, UNITS_PER_USD // 2),
        Point(NOW + 5, 7),  # in the future of this clock: ignored
    ]
    rate = burn_rate(points, NOW, window=600)
    assert (rate.tokens, rate.span) == (10_000, 600)
    assert rate.tokens_per_minute == pytest.approx(1_000)
    assert rate.usd_per_hour == pytest.approx(6.0)  # $1 in 10 minutes


def test_a_fresh_session_is_averaged_over_its_own_age() -> None:
    points = [Point(NOW - 180, 3_000), Point(NOW - 60, 3_000)]
    rate = burn_rate(points, NOW, window=600)
    assert rate.span == 180
    assert rate.tokens_per_minute == pytest.approx(2_000)


def test_one_call_just_now_is_averaged_over_a_minute_at_least() -> None:
    rate = burn_rate([Point(NOW - 2, 500)], NOW, window=600)
    assert rate.span == 60 and rate.tokens_per_minute == pytest.approx(500)


def test_idle_is_zero() -> None:
    rate = burn_rate([Point(NOW - 4000, 500)], NOW, window=600)
    assert rate.tokens == 0 and rate.tokens_per_minute == 0 and rate.usd_per_hour == 0
    assert burn_rate([], NOW).tokens_per_minute == 0


def test_when_a_limit_is_reached() -> None:
    assert reaches_at(used=12.0, limit=20.0, per_second=0.001, now=NOW) == NOW + 8_000
    assert reaches_at(used=20.0, limit=20.0, per_second=1.0, now=NOW) is None  # already
    assert reaches_at(used=1.0, limit=20.0, per_second=0.0, now=NOW) is None  # never at this rate
