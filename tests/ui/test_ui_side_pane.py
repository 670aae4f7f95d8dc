"""The explorer in a 50-column side pane: the columns kept, a one-line breadcrumb above the
totals, a one-cell live indicator, a short footer and an info panel with stacked tables."""

from __future__ import annotations

from tests.ui.conftest import press, screen_text, settle, wait_for_text
from tokentree.model import format as fmt


async def test_fifty_columns(make_app, quiet_watch) -> None:
    app = make_app(watch=True)
    async with app.run_test(size=(50, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "enter", "enter")  # a session's turns
        lines = screen_text(app).splitlines()
        assert len(lines) == 30 and all(len(line) <= 50 for line in lines)
        names = [column.name for column in app.browser.rows.row_layout.columns]
        assert names == ["label", "bar", "tokens", "cost"]
        assert "▼tokens" in lines[2] and "cost" in lines[2]
        assert "$" in lines[3] and "█" in lines[3]
        # the breadcrumb is elided in one line, and the totals line is right below it
        assert "›" in lines[0] and "…" in lines[0]
        totals = app.browser.navigator.current.totals
        assert lines[1].startswith(f" {fmt.tokens(totals.total)}  {fmt.cost(totals)}")
        assert lines[1].rstrip().endswith("● live")
        await press(pilot, "p")
        assert screen_text(app).splitlines()[1].rstrip().endswith("calls       ‖")  # one cell
        footer = lines[-1]
        assert "Help" in footer and "Quit" in footer and "Open" not in footer
        assert "measure tokens" in lines[-2]


async def test_the_live_indicator_is_long_where_there_is_room(make_app, quiet_watch) -> None:
    app = make_app(watch=True)
    async with app.run_test(size=(120, 20)) as pilot:
        await settle(pilot)
        assert screen_text(app).splitlines()[1].rstrip().endswith("● live")
        assert "UTC · 2026-10-31 → 2026-11-20" in screen_text(app)
        await press(pilot, "enter", "enter", "enter")
        for width in (60, 50, 40, 20):
            await pilot.resize_terminal(width, 20)
            await settle(pilot)
            second = screen_text(app).splitlines()[1].rstrip()
            assert second.endswith("●") or second.endswith("● live"), width
            assert "UTC" not in second and "$" in second, width
        assert second.endswith("$0.76  ●")  # 20 columns: in one cell


async def test_the_info_panel_stacks_its_tables_when_narrow(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(50, 60)) as pilot:
        await settle(pilot)
        await press(pilot, "i")
        await settle(pilot)
        text = await wait_for_text(pilot, "Usage by model")
        lines = text.splitlines()
        assert all(len(line) <= 50 for line in lines)
        assert not any("input" in line and "output" in line for line in lines)
        assert any(line.strip("│ ").startswith("cache read") for line in lines)
        await pilot.resize_terminal(140, 60)
        await settle(pilot)
        wide = screen_text(app).splitlines()
        assert any("input" in line and "output" in line and "cache saved" in line for line in wide)
