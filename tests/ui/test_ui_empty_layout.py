"""An empty HOME offers the demo; the layout at 80×24 and at 200 columns; the activity
column appears only when the data has it."""

from __future__ import annotations

import re

import pytest

from tests.ui.conftest import CLAUDE_ONLY, press, screen_text, settle, wait_for_text
from tokentree.data.workspace import Options
from tokentree.service.backend import Backend


async def test_empty_home_explains_and_offers_the_demo(make_app, isolated_home) -> None:
    app = make_app(Options(tz="UTC"))
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert app.browser.empty
        text = screen_text(app)
        assert "No usage logs found." in text
        for root in app.backend.roots:
            assert str(root) in text
        assert "(missing)" in text and "press d" in text
        await wait_for_text(pilot, "d Demo")  # the footer offers the key only now
        await press(pilot, "d")
        assert not app.browser.empty and app.backend.options.demo
        assert len(app.browser.rows.listing.rows) == 4
        assert "No usage logs found." not in screen_text(app)
        await wait_for_text(pilot, "d Demo", present=False)


async def test_bad_source_exits_with_code_2(make_app) -> None:
    app = make_app(Options(sources=("cursor",), tz="UTC"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.pause()
    assert app.return_code == 2


async def test_80x24_drops_columns_gracefully(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "enter")
        text = screen_text(app).splitlines()
        assert len(text) == 24 and all(len(line) <= 80 for line in text)
        layout = app.browser.rows.row_layout
        names = [c.name for c in layout.columns]
        assert names[:1] == ["label"] and layout.columns[0].width >= 24
        assert {"bar", "tokens", "cost"} <= set(names)
        row = text[3]
        assert re.search(r"\d+\.\d%", row) and "$" in row
        assert "Open" in text[-1] and "Quit" in text[-1]


async def test_200_columns_use_the_space(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        wide = app.browser.rows.row_layout
        await pilot.resize_terminal(100, 30)
        await settle(pilot)
        narrow = app.browser.rows.row_layout
        bar = {c.name: c.width for c in wide.columns}["bar"]
        assert bar > {c.name: c.width for c in narrow.columns}["bar"]
        assert wide.columns[0].width > narrow.columns[0].width
        assert {"hit", "children"} <= {c.name for c in wide.columns}
        assert len(screen_text(app).splitlines()[3]) <= 100


@pytest.fixture
def with_activity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Known activity splits and insights from the attribution work."""

    def activity(self, path):
        return {
            node.id: {
                "reading": {"tokens": node.totals.total // 2, "cost_usd": 0.5},
                "editing": {"tokens": node.totals.total // 4, "cost_usd": 0.25},
                "git": {"tokens": node.totals.total // 4, "cost_usd": 0.25},
            }
            for node in self.children(path)
        }

    def insights(self, path):
        return [
            {
                "severity": "warn",
                "message": "most tokens went to re-reading files",
                "estimated_saving_usd": 1.5,
            }
        ]

    monkeypatch.setattr(Backend, "activity", activity)
    monkeypatch.setattr(Backend, "insights", insights)


async def test_activity_column_only_when_present(make_app, with_activity) -> None:
    app = make_app()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        layout = app.browser.rows.row_layout
        assert layout.has("activity")
        width = {c.name: c.width for c in layout.columns}["activity"]
        strip = app.browser.rows.render_line(1)
        assert "█" * (width // 2) in strip.text
        colours = {seg.style.color for seg in strip if seg.text.startswith("██")}
        assert len(colours) >= 3  # the bar plus distinct activity colours
        assert "activity" in screen_text(app).splitlines()[2]
        await press(pilot, "i")
        text = screen_text(app)
        assert "Activity (estimated)" in text and "! most tokens went to re-reading files" in text
        assert "$1.50 saving, estimated" in text


async def test_no_activity_column_without_the_data(make_app, monkeypatch) -> None:
    def unavailable(self, path):
        raise RuntimeError("no attribution")

    monkeypatch.setattr(Backend, "activity", unavailable)
    app = make_app()
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        assert not app.browser.rows.row_layout.has("activity")
        assert "activity" not in screen_text(app)


async def test_a_date_range_without_usage_says_so(make_app) -> None:
    from datetime import date

    app = make_app(Options(demo=True, sources=CLAUDE_ONLY, tz="UTC", since=date(2030, 1, 1)))
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert not app.browser.empty and len(app.browser.rows.listing) == 0
        assert "No usage from 2030-01-01 to today (UTC)" in screen_text(app)
