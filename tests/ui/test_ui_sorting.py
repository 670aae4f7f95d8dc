"""Every sort key and its reversal, the measured quantity and the graph modes."""

from __future__ import annotations

import re

import pytest

from tests.ui.conftest import open_busiest, press, screen_text, settle
from tokentree.model.listing import GraphMode, Measure, SortKey

SORTS = [
    ("s", SortKey.TOKENS, True, lambda n: n.totals.total, "▼tokens"),
    ("c", SortKey.COST, True, lambda n: n.totals.cost_pusd, "▼cost"),
    ("t", SortKey.TIME, False, lambda n: n.start, "sessions by time ▲"),
    ("C", SortKey.CHILDREN, True, lambda n: n.child_count, "▼turns"),
    ("percent_sign", SortKey.CACHE_HIT, True, lambda n: n.totals.cache_hit, "▼hit"),
]


@pytest.mark.parametrize(("key", "sort_key", "descending", "value", "title"), SORTS)
async def test_sort_key_and_reversal(make_app, key, sort_key, descending, value, title) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await open_busiest(pilot)
        await open_busiest(pilot)  # a day with several sessions
        if sort_key is SortKey.TOKENS:
            await press(pilot, "t")  # leave the default so the first press is "natural"
        await press(pilot, key)
        listing = app.browser.rows.listing
        assert listing.sort.key is sort_key and listing.sort.descending is descending
        ids = [n.id for n in listing.rows]
        expected = sorted(listing.rows, key=value, reverse=descending)
        assert [value(n) for n in listing.rows] == [value(n) for n in expected]
        assert len(ids) > 1
        assert title in screen_text(app).splitlines()[2]
        await press(pilot, key)
        reversed_listing = app.browser.rows.listing
        assert reversed_listing.sort.descending is not descending
        values = [value(n) for n in reversed_listing.rows]
        assert values == sorted(values, reverse=not descending)
        flipped = title.replace("▼", "▲") if "▼" in title else title.replace("▲", "▼")
        assert flipped in screen_text(app).splitlines()[2]


async def test_measure_cycles_and_drives_bars_and_token_sort(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        seen = []
        for _ in range(4):
            listing = app.browser.rows.listing
            seen.append(listing.measure)
            metric = listing.measure.value
            top = listing.rows[0]
            assert max(listing.scale(n) for n in listing.rows) == 1.0
            total = sum(n.totals.metric(metric) for n in listing.rows)
            assert listing.share(top) == pytest.approx(top.totals.metric(metric) / total)
            assert f"measure {listing.measure.label}" in screen_text(app)
            await press(pilot, "a")
        assert seen == [Measure.TOTAL, Measure.COST, Measure.OUTPUT, Measure.INPUT]
        assert app.browser.rows.listing.measure is Measure.TOTAL
        await press(pilot, "a", "a")  # measuring output: the token sort follows it
        outputs = [n.totals.output for n in app.browser.rows.listing.rows]
        assert outputs == sorted(outputs, reverse=True)
        assert "▼output" in screen_text(app)
        await press(pilot, "s")  # same column again: reversed
        outputs = [n.totals.output for n in app.browser.rows.listing.rows]
        assert outputs == sorted(outputs)
        assert "▲output" in screen_text(app)


async def test_graph_modes(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        expected = [
            (GraphMode.BOTH, True, True),
            (GraphMode.NONE, False, False),
            (GraphMode.BAR, True, False),
            (GraphMode.PERCENT, False, True),
        ]
        for mode, bar, percent in expected:
            layout = app.browser.rows.row_layout
            assert app.browser.graph is mode
            assert layout.has("bar") is bar and layout.has("percent") is percent
            text = screen_text(app)
            assert ("█" in text.splitlines()[3][: layout.columns[0].width + 25]) is bar
            assert bool(re.search(r"\d\.\d%", text.splitlines()[3])) is percent
            await press(pilot, "g")


async def test_measuring_cost_sorts_by_cost_and_shows_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "enter")  # seven days
        await press(pilot, "a")
        listing = app.browser.rows.listing
        assert listing.measure is Measure.COST and listing.sort.key is SortKey.TOKENS
        costs = [n.totals.cost_pusd for n in listing.rows]
        assert costs == sorted(costs, reverse=True)
        scales = [listing.scale(n) for n in listing.rows]
        assert scales == sorted(scales, reverse=True)  # the bars are in order
        lines = screen_text(app).splitlines()
        assert "▼cost" in lines[2] and "tokens" not in lines[2]
        assert not app.browser.rows.row_layout.has("cost")  # no second cost column
        for line, node in zip(lines[3:], listing.rows, strict=False):
            assert f"{node.totals.cost_usd:.2f}" in line
        await press(pilot, "s")  # the same column again: reversed, still by cost
        costs = [n.totals.cost_pusd for n in app.browser.rows.listing.rows]
        assert costs == sorted(costs)
        assert "▲cost" in screen_text(app).splitlines()[2]
