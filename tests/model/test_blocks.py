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


def _by_minute(points: list[Point]) -> list[Point]:
    """The calls of each minute as one point (what the summary keeps)."""
    minutes: dict[float, list[Point]] = {}
    for point in points:
        minutes.setdefault(point.at - point.at % 60, []).append(point)
    return [
        Point(
            calls[0].at,
            sum(p.tokens for p in calls),
            sum(p.cost_units for p in calls),
            len(calls),
            calls[-1].at if len(calls) > 1 else None,
        )
        for _, calls in sorted(minutes.items())
    ]


def test_a_minutes_calls_as_one_point_change_nothing() -> None:
    import random

    from tokentree.model.burn import burn_rate

    rng = random.Random(5)
    base = at("11-20 06:00")
    for _ in range(200):
        times = sorted(base + rng.uniform(0, 8 * 3600) for _ in range(rng.randint(1, 120)))
        now = rng.choice(times) + rng.uniform(0, 30) if rng.random() < 0.5 else base + 9 * 3600
        now = min(now, base + rng.uniform(0, 9 * 3600)) if rng.random() < 0.3 else now
        # the calls written by ``now`` (a summary is written before it is read)
        times = [t for t in times if t <= now or t - t % 60 != now - now % 60]
        points = [Point(t, rng.randint(1, 9_000), rng.randint(0, 500)) for t in times]
        merged = _by_minute(points)
        assert len(merged) <= len(points)
        start = base + rng.uniform(0, 4 * 3600)
        assert blocks(merged) == blocks(points)
        assert current_block(merged, now) == current_block(points, now)
        assert drift(merged, now) == drift(points, now)
        assert burn_rate(merged, now) == burn_rate(points, now)
        assert usage_between(merged, start, start + 5 * 3600) == usage_between(
            points, start, start + 5 * 3600
        )
