"""5-hour blocks and window drift, on hand-made timelines with a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime

from tokentree.model.blocks import (
    Point,
    block_start,
    blocks,
    current_block,
    drift,
    latest_block_start,
    usage_between,
)


def at(text: str) -> float:
    """``"11-20 09:17"`` on 2026 in UTC, as POSIX seconds."""
    return datetime.strptime(f"2026-{text}", "%Y-%m-%d %H:%M").replace(tzinfo=UTC).timestamp()


def test_a_block_opens_on_the_hour_of_its_first_call_and_lasts_five_hours() -> None:
    points = [Point(at("11-20 09:17"), 100, 1), Point(at("11-20 13:59"), 50, 2)]
    [block] = blocks(points)
    assert (block.start, block.end) == (at("11-20 09:00"), at("11-20 14:00"))
    assert (block.tokens, block.cost_units, block.calls) == (150, 3, 2)
    assert (block.first, block.last) == (at("11-20 09:17"), at("11-20 13:59"))


def test_a_call_at_or_after_the_end_opens_the_next_block() -> None:
    points = [
        Point(at("11-20 09:17"), 100),
        Point(at("11-20 14:00"), 10),  # exactly at the end: a new block from 14:00
        Point(at("11-20 18:30"), 1),
        Point(at("11-20 19:05"), 2),  # the second block ends at 19:00
    ]
    found = blocks(points)
    assert [(b.start, b.tokens) for b in found] == [
        (at("11-20 09:00"), 100),
        (at("11-20 14:00"), 11),
        (at("11-20 19:00"), 2),
    ]


def test_a_long_gap_leaves_no_empty_blocks() -> None:
    points = [Point(at("11-18 08:00"), 1), Point(at("11-20 10:30"), 2)]
    assert [b.start for b in blocks(points)] == [at("11-18 08:00"), at("11-20 10:00")]


def test_the_current_block_is_the_open_one() -> None:
    points = [Point(at("11-20 09:17"), 100), Point(at("11-20 10:40"), 20)]
    block = current_block(points, at("11-20 12:00"))
    assert block is not None and block.tokens == 120 and block.end == at("11-20 14:00")
    assert block.elapsed(at("11-20 12:00")) == 3 * 3600
    assert current_block(points, at("11-20 14:00")) is None  # closed at 14:00
    assert current_block(points, at("11-20 09:00")) is None  # nothing happened yet
    assert current_block([], at("11-20 12:00")) is None


def test_the_latest_block_start_needs_only_timestamps() -> None:
    times = [at("11-20 01:10"), at("11-20 05:50"), at("11-20 06:20"), at("11-20 09:00")]
    # 01:00–06:00 holds the first two; 06:20 opens 06:00–11:00, which holds 09:00
    assert latest_block_start(times) == at("11-20 06:00")
    assert latest_block_start([]) is None


def test_block_start_is_the_utc_hour() -> None:
    assert block_start(at("11-20 23:59") + 59) == at("11-20 23:00")


def test_usage_between_an_official_window() -> None:
    points = [
        Point(at("11-20 08:59"), 5),
        Point(at("11-20 09:30"), 7, 3),
        Point(at("11-20 14:00"), 9),
    ]
    block = usage_between(points, at("11-20 09:00"), at("11-20 14:00"))
    assert block is not None and (block.tokens, block.cost_units, block.calls) == (7, 3, 1)
    assert usage_between(points, at("11-20 15:00"), at("11-20 20:00")) is None


def test_drift_names_the_oldest_expiry_and_what_leaves_within_the_horizon() -> None:
    points = [
        Point(at("11-20 07:00"), 1_000),  # left the window before 12:10 (07:00 + 5 h = 12:00)
        Point(at("11-20 07:20"), 300, 30),  # expires 12:20: the oldest still inside
        Point(at("11-20 07:40"), 200, 20),  # expires 12:40: within 30 min of 12:20
        Point(at("11-20 07:50"), 100, 10),  # expires 12:50: exactly 30 min after: not counted
        Point(at("11-20 11:00"), 50, 5),
    ]
    found = drift(points, at("11-20 12:10"))
    assert found is not None
    assert found.expires_at == at("11-20 12:20")
    assert (found.tokens, found.cost_units) == (500, 50)
    assert (found.window_tokens, found.window_cost_units) == (650, 65)
    assert drift(points, at("11-20 17:00")) is None  # everything has left the window
