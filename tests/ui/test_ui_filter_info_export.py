"""``/`` filter, ``i`` info panel and ``e`` export (equal to the CLI's export of the node)."""

from __future__ import annotations

import json
import re

import pytest

from tests.ui.conftest import open_busiest, press, screen_text, selected, settle
from tokentree.cli import main as cli_main
from tokentree.service.export import export_filename
from tokentree.ui.screens.info import InfoScreen
from tokentree.ui.widgets.filter_bar import FilterBar


async def test_filter_narrows_keeps_and_clears(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await open_busiest(pilot)
        await open_busiest(pilot)
        everything = [n.id for n in app.browser.rows.listing.rows]
        label = app.browser.rows.listing.rows[-1].label
        needle = label.split(" · ")[0]  # the project name
        await press(pilot, "slash")
        assert isinstance(app.focused, FilterBar)
        await pilot.press(*needle.upper())  # case-insensitive
        await settle(pilot)
        shown = app.browser.rows.listing.rows
        assert 0 < len(shown) < len(everything)
        assert all(needle in n.label for n in shown)
        assert f'filter "{needle.upper()}" {len(shown)}/{len(everything)}' in screen_text(app)
        await press(pilot, "enter")  # keep it, back to the list
        assert app.focused is app.browser.rows
        assert len(app.browser.rows.listing.rows) == len(shown)
        await press(pilot, "escape")  # clear
        assert [n.id for n in app.browser.rows.listing.rows] == everything
        await press(pilot, "slash", "z", "z", "q", "escape")
        assert [n.id for n in app.browser.rows.listing.rows] == everything
        assert app.focused is app.browser.rows


async def test_filter_is_per_level(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        week = selected(app)
        await press(pilot, "slash", *week[-2:], "enter")
        assert [n.id for n in app.browser.rows.listing.rows] == [week]
        await press(pilot, "enter", "left")
        assert app.browser.filter_text == "" and len(app.browser.rows.listing.rows) == 4


async def test_info_panel(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 100)) as pilot:
        await settle(pilot)
        week = app.browser.rows.selected
        await press(pilot, "i")
        assert isinstance(app.screen, InfoScreen)
        await settle(pilot)
        info = app.screen.info
        assert info is not None and info.info is not None
        assert info.info.totals.calls == week.totals.calls
        text = screen_text(app)
        for heading in (
            "Usage by model",
            "Prices (USD per million tokens)",
            "Cache savings",
            "Source files",
            "Deduplication",
        ):
            assert heading in text
        assert "opus-4-6" in text and "$5.00/M" in text
        assert re.search(r"\$\d+\.\d\d saved", text)
        assert re.search(r"[\d.]+k? transcript lines in \d+ files → \d+ calls", text)
        assert app.screen.insights and app.screen.insights[0]["message"][:30] in text
        await press(pilot, "escape")
        assert app.screen is app.browser


async def test_info_formula_of_one_call(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(140, 50)) as pilot:
        await settle(pilot)
        await press(pilot, "enter", "enter", "enter", "enter", "i")
        await settle(pilot)
        call = app.screen.node
        text = screen_text(app)
        assert "Call" in text and call.id in text
        cost = f"${call.totals.cost_usd:.2f}"
        assert re.search(r"× \$[\d.]+/M = " + re.escape(cost), text)


def cli_document(*args: str) -> dict:
    """The CLI's annotated export (the explorer's node export carries activity and insights)."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert (
            cli_main(
                [
                    "--demo",
                    "--source",
                    "claude",
                    "--tz",
                    "UTC",
                    "export",
                    "--json",
                    "--annotate",
                    *args,
                ]
            )
            == 0
        )
    return json.loads(out.getvalue())


def find(document: dict, path: tuple[str, ...]) -> dict:
    node = document
    for node_id in path:
        node = next(child for child in node["children"] if child["id"] == node_id)
    return node


@pytest.mark.parametrize("depth", [1, 3, 4, 5], ids=["week", "session", "turn", "call"])
async def test_export_equals_the_cli_export_of_the_node(make_app, tmp_path, depth) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, *["enter"] * (depth - 1))
        node = app.browser.rows.selected
        path = (*app.browser.navigator.path, node.id)
        assert len(path) == depth
        await press(pilot, "e")
        target = tmp_path / "out" / export_filename(node.kind, node.id)
        assert target.exists()
        assert any(str(target) in n.message for n in app._notifications)
    exported = json.loads(target.read_text())
    cli = cli_document()
    assert exported["path"] == list(path[:-1])
    assert exported["children"] == [find(cli, path)]
    assert exported["totals"] == find(cli, path)["totals"]
    exported_header = {k: v for k, v in exported.items() if k not in IGNORED}
    cli_header = {k: v for k, v in cli.items() if k not in IGNORED}
    assert exported_header == cli_header
    assert exported["activity"] == find(cli, path)["activity"]
    assert exported["generated_at"] == "2026-11-25T12:00:00+00:00"
    scoped = cli_document("--scope", "/".join(path))  # the same node, exported by the CLI
    assert {k: v for k, v in exported.items() if k != "generated_at"} == {
        k: v for k, v in scoped.items() if k != "generated_at"
    }


IGNORED = {"generated_at", "path", "totals", "unpriced_calls", "children", "activity", "insights"}
"""Header fields that describe the document's root: the node here, the whole range there."""


async def test_the_filter_line_is_visible_with_its_text_and_matches(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(50, 20)) as pilot:
        await settle(pilot)
        week = selected(app)
        await press(pilot, "slash", *week[-2:])
        lines = screen_text(app).splitlines()
        filter_line = lines[-3]  # above the status line and the footer
        assert filter_line.startswith(f" / {week[-2:]}") and filter_line.rstrip().endswith("1/4")
        await press(pilot, "z", "q")
        lines = screen_text(app).splitlines()
        assert f"/ {week[-2:]}zq" in lines[-3] and lines[-3].rstrip().endswith("no matches")
        assert f'no matches for "{week[-2:]}zq"' in lines[3]  # where the rows were
        await press(pilot, "escape")
        text = screen_text(app)
        assert "no matches" not in text and len(app.browser.rows.listing.rows) == 4
