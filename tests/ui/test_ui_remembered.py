"""The theme picked in the palette and the view settings are remembered between runs, in the
state file (never in the logs' directories); a corrupt file is ignored; an edited config theme
and ``--theme`` win over the remembered one."""

from __future__ import annotations

import json
from pathlib import Path

from tests.ui.conftest import CLAUDE_ONLY, press, screen_text, settle
from tokentree.config import Settings
from tokentree.data.workspace import Options
from tokentree.model.listing import GraphMode, Measure, SortKey, SortSpec


async def test_view_and_theme_survive_a_restart(make_app, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    app = make_app(state_file=state)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "c", "c", "a", "a", "g")
        app.theme = "nord"  # what the palette's "Change theme" does
        await pilot.pause()
    saved = json.loads(state.read_text())
    assert saved["theme"] == "nord" and saved["view"]["sort"] == "cost"

    again = make_app(state_file=state)
    async with again.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        browser = again.browser
        assert browser.sort == SortSpec(SortKey.COST, descending=False)
        assert browser.measure is Measure.OUTPUT and browser.graph is GraphMode.NONE
        assert again.theme == "nord"
        assert "measure output · sort cost ▲ · graph none" in screen_text(again)
        costs = [n.totals.cost_pusd for n in browser.rows.listing.rows]
        assert costs == sorted(costs)

    told = make_app(state_file=state, theme="tokentree-light")  # --theme wins
    async with told.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert told.theme == "tokentree-light"
    assert json.loads(state.read_text())["theme"] == "nord"  # and is not remembered


async def test_an_edited_config_theme_wins(make_app, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    app = make_app(state_file=state)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    edited = Options(
        demo=True, sources=CLAUDE_ONLY, tz="UTC", settings=Settings(theme="tokentree-mono")
    )
    app = make_app(edited, state_file=state)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "tokentree-mono"


async def test_a_corrupt_state_file_is_ignored(make_app, tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    state.write_text('{"version": 1, "view": {"sort": ')
    app = make_app(state_file=state)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert app.browser.sort == SortSpec() and app.theme == "tokentree-dark"
        assert not app._notifications and app.browser.status.notice == ""
        await press(pilot, "t")
    assert json.loads(state.read_text())["view"]["sort"] == "time"  # replaced by a good one
