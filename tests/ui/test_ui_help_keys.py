"""Help is generated from the bindings; every binding has an id and a description; the
config keymap remaps keys; the command palette offers the same actions."""

from __future__ import annotations

import re

from tests.ui.conftest import CLAUDE_ONLY, press, screen_text, settle
from tokentree.config import Settings
from tokentree.data.workspace import Options
from tokentree.model.listing import SortKey
from tokentree.ui import bindings
from tokentree.ui.app import TokenTreeApp
from tokentree.ui.screens.help import HelpScreen
from tokentree.ui.screens.info import InfoScreen
from tokentree.ui.themes import ACTIVITIES
from tokentree.ui.widgets.usage_list import UsageList

ALL = bindings.ALL


def test_every_binding_has_a_unique_id_and_a_description() -> None:
    ids = [b.id for b in ALL]
    assert all(i and i.startswith("tokentree.") for i in ids)
    assert len(ids) == len(set(ids))
    everywhere = [b for group in bindings.REGISTRY for b in group]
    assert {b.id: id(b) for b in everywhere} == {b.id: id(b) for b in ALL}  # shared = same
    assert all(b.description and b.tooltip for b in ALL)
    listed = [b.id for _, section in bindings.SECTIONS for b in section]
    assert sorted(listed) == sorted(ids)


def test_widgets_use_the_registry() -> None:
    from tokentree.ui.screens.browser import BrowserScreen

    assert UsageList.BINDINGS is bindings.LIST
    assert BrowserScreen.BINDINGS is bindings.BROWSER
    assert TokenTreeApp.BINDINGS is bindings.APP
    assert HelpScreen.BINDINGS is InfoScreen.BINDINGS is bindings.PANEL
    from tokentree.ui.screens.sources import SourcesScreen

    assert SourcesScreen.BINDINGS is bindings.SOURCES
    from tokentree.ui.screens.live import LiveScreen

    assert LiveScreen.BINDINGS is bindings.LIVE


async def test_help_lists_every_binding(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        for binding in ALL:
            assert binding.tooltip[:40] in text, binding.id
        assert "PgUp" in text and "→ Enter l" in text and "Ctrl+C" in text
        assert "Activity colours" in text
        for name in ACTIVITIES:
            assert f"██ {name}" in text
        await press(pilot, "escape")
        assert app.screen is app.browser


async def test_keymap_from_config_remaps_keys(make_app) -> None:
    settings = Settings(keymap={"tokentree.sort-cost": "x", "tokentree.help": "f1"})
    app = make_app(Options(demo=True, sources=CLAUDE_ONLY, tz="UTC", settings=settings))
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await press(pilot, "x")
        assert app.browser.rows.listing.sort.key is SortKey.COST
        await press(pilot, "t", "c")  # c is no longer bound to cost
        assert app.browser.rows.listing.sort.key is SortKey.TIME
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert re.search(r"│\s+x\s+Sort by cost", text)
        assert re.search(r"F1\s+Show this help", text)


async def test_command_palette_offers_the_actions(make_app) -> None:
    from tokentree.ui.commands import PALETTE, TokentreeCommands, command_name

    assert any("Sort by cost" in command_name(b) for b in PALETTE)
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        provider = TokentreeCommands(app.browser)
        names = [hit.display for hit in [h async for h in provider.discover()]]
        assert any("Sort by cost (c)" in str(name) for name in names)
        assert not any("demo" in str(name).lower() for name in names)  # only when empty
        hits = [h async for h in provider.search("sort by cost")]
        await hits[0].command()
        await settle(pilot)
        assert app.browser.rows.listing.sort.key is SortKey.COST


def test_keys_doc_is_current() -> None:
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "gen_keys_doc.py"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_themes_doc_lists_every_variable() -> None:
    from pathlib import Path

    from tokentree.ui.themes import VARIABLES

    text = (Path(__file__).resolve().parents[2] / "docs" / "themes.md").read_text()
    for name in VARIABLES:
        assert f"| `{name}` |" in text, name


def test_the_config_knows_every_binding_id() -> None:
    from tokentree.config import KEYMAP_IDS

    assert {b.id for b in ALL} == KEYMAP_IDS


async def test_the_activity_legend_uses_the_theme_colours(make_app) -> None:
    from textual.color import Color

    app = make_app(theme="tokentree-light")
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await press(pilot, "question_mark")
        strips = app.screen._compositor.render_strips()
        line = next(strip for strip in strips if "██ reading" in strip.text)
        swatch = next(seg for seg in line if "██" in seg.text)  # the first: reading
        wanted = Color.parse(app.theme_variables["activity-reading"]).rich_color
        assert swatch.style.color == wanted


async def test_ctrl_c_quits_even_while_typing_a_filter(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "slash", "x")
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running
