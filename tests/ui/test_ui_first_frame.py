"""A cold start on a long history: the explorer lists the newest weeks, marked partial, while
the older files are read; then the full totals (equal to a read in one go), the cursor kept.
The worker is held between its two reads by the app's own hook, not by sleeping."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from textual.pilot import Pilot

from bench.mtimes import set_mtimes
from tests.ui.conftest import rows, screen_text, selected, settle, wait_for_text
from tokentree.data.workspace import Options, Workspace
from tokentree.ui import app as app_module
from tokentree.ui.app import TokenTreeApp


class HeldApp(TokenTreeApp):
    """Stops the refresh worker after its first frame until the test lets it go on."""

    CSS_PATH = str(Path(app_module.__file__).with_name("app.tcss"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.go_on = threading.Event()

    def _first_frame_read(self, ticket, report, version: int, since: date) -> None:
        super()._first_frame_read(ticket, report, version, since)
        assert self.go_on.wait(60), "the test never let the older files be read"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bench.corpus import generate

    out = tmp_path_factory.mktemp("history")
    generate(out, profile="small", seed=5, days=30)
    set_mtimes(out)
    return out / ".claude" / "projects"


@pytest.fixture
def split(history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Half the bytes first, whatever the history's size."""
    total = sum(p.stat().st_size for p in history.rglob("*") if p.is_file())
    monkeypatch.setenv("TOKENTREE_FIRST_FRAME_BYTES", str(total // 2))
    monkeypatch.setenv("TOKENTREE_SPLIT_BYTES", "0")


def options(history: Path) -> Options:
    return Options(roots=[("claude", history)], tz="UTC")


def one_read(history: Path) -> dict[str, int]:
    """Tokens by week as a read in one go finds them."""
    workspace = Workspace(replace(options(history), use_cache=False))
    try:
        workspace.refresh()
        workspace.store.build(workspace.view)
        return {str(r[0]): r[3] + r[4] + r[5] + r[6] for r in workspace.store.level_rows("week")}
    finally:
        workspace.close()


def tokens_by_week(app: TokenTreeApp) -> dict[str, int]:
    return {node.id: node.totals.total for node in app.browser.rows.listing.rows}


async def wait_until(pilot: Pilot, check, rounds: int = 200) -> None:
    for _ in range(rounds):
        if check():
            return
        await pilot.pause(0.02)
    raise AssertionError("never happened")


async def test_cold_start_shows_the_newest_weeks_first(make_app, history, split) -> None:
    expected = one_read(history)
    app = make_app(options(history), kind=HeldApp)
    async with app.run_test(size=(120, 30)) as pilot:
        text = await wait_for_text(pilot, "partial: since", rounds=500)
        since = app._partial
        assert since is not None and since.weekday() == 0
        await wait_until(pilot, lambda: bool(rows(app)))
        first = tokens_by_week(app)
        assert 0 < len(first) < len(expected)
        assert first == {week: expected[week] for week in first}  # complete weeks only
        assert "All" in text
        # browse while the older files wait: down into a week and back
        await pilot.press("end")
        week = selected(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.browser.navigator.path == (week,) and rows(app))
        await pilot.press("left")
        await wait_until(pilot, lambda: app.browser.navigator.path == () and selected(app) == week)
        app.go_on.set()
        await settle(pilot)
        assert "partial" not in screen_text(app)
        assert tokens_by_week(app) == expected
        assert selected(app) == week  # the cursor stays on its week
        assert app.backend.view.since is None


async def test_quitting_while_the_older_files_are_read(make_app, history, split) -> None:
    app = make_app(options(history), kind=HeldApp)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_text(pilot, "partial: since", rounds=500)
        workspace = app.backend.workspace
        await pilot.press("q")  # the read of the older files gives up
        app.go_on.set()
    app.backend.close()  # as `tokentree` does once the app ended
    assert workspace.cache is not None and not workspace.cache.path.exists()
    assert workspace.older_pending  # never shown as complete, never saved
