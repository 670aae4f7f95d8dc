"""A running explorer treats a deleted log like the next start does: its calls stay, its session
is marked archived, and the info panel says when the file was last seen."""

from __future__ import annotations

from tests.ui.conftest import press, screen_text, settle
from tests.ui.test_ui_live import feed
from tokentree.data.workspace import Options
from tokentree.ui.screens.info import InfoScreen
from tokentree.watch import ChangeBatch


async def test_a_deleted_session_is_archived_in_a_running_explorer(
    make_app, logs, fake_watch
) -> None:
    app = make_app(Options(roots=[logs], tz="UTC"), watch=True)
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(pilot)
        assert app.live == "on"
        await press(pilot, "t", "end", "enter", "end", "enter")  # the latest day's sessions
        navigator = app.browser.navigator
        day = navigator.current.totals
        listed = app.browser.rows.listing.rows
        session = max(listed, key=lambda n: n.start)
        assert "archived" not in screen_text(app)
        victim = next(logs.rglob(f"{session.id}.jsonl"))
        victim.unlink()
        await feed(pilot, fake_watch, ChangeBatch(frozenset({victim})))

        assert navigator.current.totals == day  # nothing lost, nothing counted twice
        rows = {n.id: n for n in app.browser.rows.listing.rows}
        assert rows.keys() == {n.id for n in listed}
        assert rows[session.id].totals == session.totals
        assert rows[session.id].extra.get("archived") is True
        assert [n.id for n in rows.values() if n.extra.get("archived")] == [session.id]
        assert "archived" in screen_text(app)

        while app.browser.rows.selected.id != session.id:
            await press(pilot, "down")
        await press(pilot, "i")
        assert isinstance(app.screen, InfoScreen)
        await settle(pilot)
        text = screen_text(app)
        assert "log files gone, last seen" in text
        assert "(gone, last seen" in text
