"""Several assistants in one tree: each session shows its source's marker, and ``S`` hides a
source from every level and the totals (and shows it again)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import export
from tests.data.sources.claude import samples as claude_samples
from tests.data.sources.jsonl import samples as feed_samples
from tests.ui.conftest import press, rows, screen_text, settle
from tokentree.data.workspace import Options
from tokentree.ui.screens.sources import SourcesScreen


def two_sources(tmp_path: Path) -> list[tuple[str, Path]]:
    claude, feed = tmp_path / "claude", tmp_path / "feed"
    claude_samples.write_sample(claude)
    feed_samples.write_sample(feed)
    return [("claude", claude), ("jsonl", feed)]


async def test_markers_and_hiding_a_source(make_app, tmp_path: Path) -> None:
    roots = two_sources(tmp_path)
    args = [arg for name, path in roots for arg in ("--root", f"{name}={path}")]
    both, _ = export(*args, "--tz", "UTC")
    only_claude, _ = export(*args, "--source", "claude", "--tz", "UTC")
    app = make_app(Options(roots=roots, tz="UTC"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        header = app.browser.query_one("LevelHeader")
        assert header.state.totals.calls == both["totals"]["calls"]
        await press(pilot, "enter", "enter")  # the sessions of the first day
        assert rows(app)
        lines = screen_text(app).splitlines()[3 : 3 + len(rows(app))]
        assert {line.split()[0] for line in lines} == {"CC", "FD"}
        await press(pilot, "left", "left")  # back to the root: totals of everything shown
        await press(pilot, "S")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, SourcesScreen)
        assert [u.name for u in panel.usage] == ["claude", "jsonl"]
        await press(pilot, "down", "space", "enter")  # hide the feed
        await settle(pilot)
        assert not isinstance(app.screen, SourcesScreen)
        assert app.browser.hidden_sources == {"jsonl"}
        assert header.state.totals.calls == only_claude["totals"]["calls"]
        assert "without jsonl" in str(header.render())
        await press(pilot, "S")
        await settle(pilot)
        await press(pilot, "down", "space", "enter")  # show it again
        await settle(pilot)
        assert header.state.totals.calls == both["totals"]["calls"]


async def test_the_last_shown_source_cannot_be_hidden(make_app, tmp_path: Path) -> None:
    app = make_app(Options(roots=two_sources(tmp_path), tz="UTC"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "S")
        await settle(pilot)
        await press(pilot, "space", "down", "space")
        panel = app.screen
        assert isinstance(panel, SourcesScreen) and panel.hidden == {"claude"}
        await press(pilot, "escape")
        await settle(pilot)
        assert app.browser.hidden_sources == frozenset()


async def test_the_demo_shows_every_source(make_app) -> None:
    """The embedded demo holds the main assistants, and the explorer lists them all."""
    from tokentree.data import sources
    from tokentree.data.workspace import demo_root

    in_demo = [name for name in sources.names() if (demo_root() / name).is_dir()]
    assert {"claude", "codex", "gemini", "opencode", "hermes", "jsonl"} <= set(in_demo)
    app = make_app(Options(demo=True, tz="UTC"))
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await press(pilot, "S")
        await settle(pilot)
        panel = app.screen
        assert isinstance(panel, SourcesScreen)
        assert [u.name for u in panel.usage] == in_demo
        assert all(u.calls > 0 for u in panel.usage)
