"""Usage now, from a summary and a fixed clock: official windows preferred to estimates, stale
readings dropped, periods that changed since the summary, a tail's calls, budgets."""

from __future__ import annotations

from datetime import datetime

import pytest

from tokentree.model.budget import Period
from tokentree.model.usage import UNITS_PER_USD
from tokentree.service.limits import Reading, claude_readings, epoch
from tokentree.service.summary import PeriodTotals, Summary, TimePoint
from tokentree.service.usage_now import usage_now


def at(text: str) -> float:
    return datetime.fromisoformat(f"2026-{text}+00:00").timestamp()


def summary(**changes) -> Summary:
    base = Summary(
        written_at=at("11-20T12:00"),
        zone="UTC",
        day="2026-11-20",
        week="2026-W47",
        month="2026-11",
        today=PeriodTotals(1_000, UNITS_PER_USD * 4, 10),
        this_week=PeriodTotals(5_000, UNITS_PER_USD * 20, 50),
        this_month=PeriodTotals(9_000, UNITS_PER_USD * 40, 90),
        points_since=at("11-20T07:00"),
        points=(
            TimePoint(at("11-20T09:10"), 300, UNITS_PER_USD, "claude"),
            TimePoint(at("11-20T11:55"), 200, UNITS_PER_USD, "claude"),
            TimePoint(at("11-20T11:58"), 50, UNITS_PER_USD // 2, "gemini"),
        ),
        block_starts={"claude": at("11-20T09:00")},
    )
    return base._replace(**changes)


def test_an_estimated_window_and_the_burn_rate() -> None:
    now = at("11-20T12:00")
    usage = usage_now(summary(), now)
    [claude] = usage.windows  # gemini has no 5-hour window
    assert claude.estimated and claude.official is None
    assert claude.block is not None and claude.block.tokens == 500
    assert claude.resets_at == at("11-20T14:00")
    assert claude.drift is not None and claude.drift.expires_at == at("11-20T14:10")
    assert usage.burn.tokens == 250 and usage.burn.span == 600  # gemini counts here
    assert usage.burn.usd_per_hour == pytest.approx(9.0)  # $1.50 in 10 minutes
    assert usage.today == PeriodTotals(1_000, UNITS_PER_USD * 4, 10)


def test_an_official_window_wins_and_a_stale_one_is_dropped() -> None:
    now = at("11-20T12:00")
    official = Reading("claude", 300, 42.0, at("11-20T16:00"), at("11-20T11:59"))
    weekly = Reading("claude", 10080, 18.0, at("11-24T00:00"), at("11-20T11:59"))
    opus = Reading("claude", 10080, 12.0, at("11-24T00:00"), at("11-20T11:59"), "opus")
    stale = Reading("claude", 300, 99.0, at("11-20T11:00"), at("11-20T10:00"))
    usage = usage_now(summary(), now, readings=[stale, opus, official, weekly])
    [claude] = usage.windows
    assert claude.official == official and not claude.estimated
    assert claude.weekly == (weekly, opus)  # all models first
    assert claude.resets_at == at("11-20T16:00")
    assert claude.block is not None and claude.block.tokens == 200  # only 11:00–16:00
    assert stale not in usage.readings


def test_claude_hook_buckets() -> None:
    readings = claude_readings(
        {
            "five_hour": {"used_percentage": 23.5, "resets_at": 1_795_226_400},
            "seven_day": {"used_percentage": 41.2, "resets_at": "2026-11-24T00:00:00Z"},
            "seven_day_sonnet": {"used_percentage": 5, "resets_at": 1_795_500_000_000},
            "seven_day_opus": None,
            "extra_usage": {"is_enabled": False},
            "five_hour_typo": {"used_percentage": 1},
        },
        at=100.0,
    )
    assert [(r.name, r.used_percent, r.resets_at) for r in readings] == [
        ("5h", 23.5, 1_795_226_400.0),
        ("week", 41.2, at("11-24T00:00")),
        ("week sonnet", 5.0, 1_795_500_000.0),  # milliseconds read as such
    ]
    assert claude_readings(None, 1.0) == [] and epoch(True) is None and epoch("soon") is None


def test_a_new_day_since_the_summary() -> None:
    now = at("11-21T01:00")
    old = summary(
        points_since=at("11-20T20:00"),
        points=(
            TimePoint(at("11-20T22:00"), 100, 0, "claude"),
            TimePoint(at("11-21T00:30"), 40, UNITS_PER_USD, "claude"),
        ),
    )
    usage = usage_now(old, now)
    assert usage.today == PeriodTotals(40, UNITS_PER_USD, 1)  # what the points show of it
    assert usage.this_week == old.this_week  # still W47 (Saturday)


def test_a_tails_calls_are_added() -> None:
    now = at("11-20T12:01")
    extra = (TimePoint(at("11-20T12:00"), 700, UNITS_PER_USD, "claude"),)
    usage = usage_now(summary(), now, extra=extra)
    assert usage.today == PeriodTotals(1_700, UNITS_PER_USD * 5, 11)
    assert usage.this_month.tokens == 9_700
    assert usage.windows[0].block is not None and usage.windows[0].block.tokens == 1_200
    assert usage.burn.tokens == 950


def test_budgets_with_projections() -> None:
    now = at("11-20T12:00")
    budgets = {"daily_usd": 10.0, "monthly_usd": 30.0, "block_tokens": 1_000.0}
    usage = usage_now(summary(budgets=budgets), now)
    by_period = {u.period: u for u in usage.budgets}
    assert set(by_period) == {Period.DAY, Period.MONTH, Period.BLOCK}
    day = by_period[Period.DAY]
    assert (day.key, day.used, day.limit, day.unit) == ("2026-11-20", 4.0, 10.0, "usd")
    # $1.50 per 10 minutes: $6 more take 40 minutes
    assert day.reaches_at == pytest.approx(now + 40 * 60)
    assert by_period[Period.MONTH].reaches_at is None  # $40 of $30: already over
    block = by_period[Period.BLOCK]
    assert (block.key, block.used, block.scope) == (
        f"claude@{int(at('11-20T09:00'))}",
        500,
        "Claude",
    )
    assert usage_now(summary(), now).budgets == ()
