"""Budget alerts fire once per threshold and period, also across restarts and processes, and
say when the limit is reached at the current burn rate."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from tokentree.model.budget import Period, Usage, due
from tokentree.service.alerts import AlertBook, alert_message
from tokentree.service.state import StateFile


def daily(used: float, key: str = "2026-11-20", reaches_at: float | None = None) -> Usage:
    return Usage(Period.DAY, key, used, 20.0, "usd", reaches_at)


def test_once_per_threshold_and_period_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    book = AlertBook(StateFile(path))
    assert [a.threshold for a in book.check([daily(11)])] == [50]
    assert book.check([daily(12)]) == []
    restarted = AlertBook(StateFile(path))  # a new process reads what fired
    assert restarted.check([daily(13)]) == []
    assert [a.threshold for a in restarted.check([daily(17)])] == [80]
    assert [a.threshold for a in book.check([daily(21)])] == [100]  # the other one too
    assert book.check([daily(30)]) == []
    assert [a.threshold for a in book.check([daily(11, key="2026-11-21")])] == [50]  # a new day


def test_budgets_are_independent(tmp_path: Path) -> None:
    book = AlertBook(StateFile(tmp_path / "state.json"))
    week = Usage(Period.WEEK, "2026-W47", 45.0, 50.0, "usd")
    block = Usage(Period.BLOCK, "claude@1795208400", 1_000_000, 2_000_000, "tokens", None, "Claude")
    found = book.check([daily(11), week, block])
    assert [(a.usage.period, a.threshold) for a in found] == [
        (Period.DAY, 50),
        (Period.WEEK, 80),
        (Period.BLOCK, 50),
    ]


def test_messages_name_the_budget_the_figures_and_the_projection() -> None:
    zone = ZoneInfo("Europe/Berlin")
    reaches = datetime(2026, 11, 20, 17, 40, tzinfo=UTC).timestamp()
    alert = due(daily(16.1, reaches_at=reaches), 50)
    assert alert is not None
    assert alert_message(alert, zone) == (
        "Daily budget 80 % used: $16.10 of $20.00 · at this burn rate the limit is reached at 18:40"
    )
    reached = due(daily(20.4), 80)
    assert reached is not None
    assert alert_message(reached, zone) == "Daily budget reached: $20.40 of $20.00"
    block = Usage(Period.BLOCK, "claude@0", 1_100_000, 2_000_000, "tokens", None, "Claude")
    found = due(block, 0)
    assert found is not None
    assert alert_message(found, zone) == (
        "Claude 5-hour block budget 50 % used: 1.1M tokens of 2.0M tokens"
    )
