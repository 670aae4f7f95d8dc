"""Moving around: open, go up (cursor returns), move keys, mouse, selection kept by key."""

from __future__ import annotations

from tests.ui.conftest import press, rows, screen_text, selected, settle
from tokentree.model.tree import Kind
from tokentree.ui.screens.info import InfoScreen


async def test_root_lists_weeks_by_tokens_with_header(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        browser = app.browser
        assert browser.navigator.path == ()
        listing = browser.rows.listing
        assert len(listing) == 4 and all(n.kind is Kind.WEEK for n in listing.rows)
        totals = [n.totals.total for n in listing.rows]
        assert totals == sorted(totals, reverse=True)
        text = screen_text(app)
        assert text.splitlines()[0].strip() == "All"
        assert "8.0M tok   $15.31   cache hit 87%   405 calls   4 weeks" in text
        assert "UTC · 2026-10-31 → 2026-11-20" in text
        assert "measure tokens · sort tokens ▼ · graph both · 4 rows" in text
        assert "2026-W45 · Nov 2–8" in text and "33.0%" in text


async def test_open_and_up_return_to_the_child(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "down")
        week = selected(app)
        await press(pilot, "enter")
        assert app.browser.navigator.path == (week,)
        assert all(n.kind is Kind.DAY for n in app.browser.rows.listing.rows)
        await press(pilot, "end")
        day = selected(app)
        await press(pilot, "l")
        assert app.browser.navigator.path == (week, day)
        assert f"All › {week} › {day}" in screen_text(app)
        await press(pilot, "right")
        session = app.browser.navigator.path[-1]
        assert len(app.browser.navigator.path) == 3
        await press(pilot, "backspace")
        assert selected(app) == session
        await press(pilot, "h")
        assert app.browser.navigator.path == (week,) and selected(app) == day
        await press(pilot, "left")
        assert app.browser.navigator.path == () and selected(app) == week
        await press(pilot, "left")  # at the root: nothing happens
        assert app.browser.navigator.path == ()


async def test_move_keys(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 14)) as pilot:
        await settle(pilot)
        await press(pilot, "enter")  # the biggest week has 7 days
        ids = rows(app)
        assert len(ids) == 7
        await press(pilot, "j")
        assert selected(app) == ids[1]
        await press(pilot, "k", "k")
        assert selected(app) == ids[0]
        await press(pilot, "end")
        assert selected(app) == ids[-1]
        await press(pilot, "home")
        assert selected(app) == ids[0]
        page = app.browser.rows.scrollable_content_region.height - 1
        await press(pilot, "pagedown")
        assert selected(app) == ids[min(page, 6)]
        await press(pilot, "pageup")
        assert selected(app) == ids[0]


async def test_drill_to_calls_and_enter_shows_info(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "enter", "enter", "enter")
        assert app.browser.kind is Kind.CALL
        call = app.browser.rows.selected
        assert call is not None and call.kind is Kind.CALL
        await press(pilot, "enter")
        assert isinstance(app.screen, InfoScreen)
        assert app.screen.node.id == call.id


async def test_mouse_click_selects_and_double_click_opens(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        third = rows(app)[2]
        rows_widget = app.browser.rows
        await pilot.click(rows_widget, offset=(5, 2))
        await settle(pilot)
        assert selected(app) == third and app.browser.navigator.path == ()
        await pilot.click(rows_widget, offset=(5, 2), times=2)
        await settle(pilot)
        assert app.browser.navigator.path == (third,)


async def test_selection_is_kept_by_key_across_sorts(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "down", "down")
        chosen = selected(app)
        for key in ("c", "t", "C", "percent_sign", "s", "s", "a", "g"):
            await press(pilot, key)
            assert selected(app) == chosen, key


async def test_mouse_wheel_scrolls(make_app) -> None:
    from textual.events import MouseScrollDown, MouseScrollUp

    app = make_app()
    async with app.run_test(size=(100, 11)) as pilot:  # room for a few rows only
        await settle(pilot)
        await press(pilot, "enter")  # seven days
        rows_widget = app.browser.rows
        assert rows_widget.scrollable_content_region.height < len(rows(app))
        await pilot._post_mouse_events([MouseScrollDown], rows_widget, offset=(5, 1))
        await settle(pilot)
        assert rows_widget.scroll_y > 0
        await pilot._post_mouse_events([MouseScrollUp], rows_widget, offset=(5, 1))
        await settle(pilot)
        assert rows_widget.scroll_y == 0
