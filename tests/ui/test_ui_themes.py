"""Themes are data: bundled TOML files, user themes, fallbacks, and every Textual theme."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.color import Color
from textual.theme import BUILTIN_THEMES

from tests.ui.conftest import screen_text, settle
from tokentree.ui import themes

THEMES_DIR = Path(__file__).resolve().parents[2] / "themes"


@pytest.mark.parametrize("name", themes.BUNDLED)
def test_bundled_theme_files(name: str) -> None:
    path = THEMES_DIR / f"{name}.toml"
    data = tomllib.loads(path.read_text())
    assert data["name"] == path.stem
    theme = themes.parse_theme(data, path.stem)
    assert set(theme.variables) == set(themes.VARIABLES)
    for value in theme.variables.values():
        Color.parse(value)


def test_bundled_dir_has_only_themes_and_readme() -> None:
    assert themes.bundled_dir() == THEMES_DIR
    names = {p.name for p in THEMES_DIR.iterdir()}
    assert names == {"README.md", *(f"{n}.toml" for n in themes.BUNDLED)}
    loaded = themes.load_themes()
    assert sorted(loaded.themes) == sorted(themes.BUNDLED) and not loaded.errors


@pytest.mark.parametrize("name", sorted(BUILTIN_THEMES))
def test_defaults_derive_from_every_textual_theme(name: str) -> None:
    defaults = themes.variable_defaults(BUILTIN_THEMES[name])
    assert set(defaults) == set(themes.VARIABLES)
    for value in defaults.values():
        Color.parse(value)


def test_parse_errors_are_explained() -> None:
    with pytest.raises(ValueError, match="does not match"):
        themes.parse_theme({"name": "x", "primary": "#fff"}, "y")
    with pytest.raises(ValueError, match="unknown key"):
        themes.parse_theme({"primary": "#fff", "colour": "#000"}, "y")
    with pytest.raises(ValueError, match="missing 'primary'"):
        themes.parse_theme({}, "y")
    with pytest.raises(ValueError, match=r"variables\.bar-fill"):
        themes.parse_theme({"primary": "#fff", "variables": {"bar-fill": "$primary"}}, "y")


def user_theme_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "user-themes"
    folder.mkdir()
    (folder / "sunset.toml").write_text(
        'name = "sunset"\nprimary = "#FF8800"\ndark = true\n[variables]\nbar-fill = "#FF0000"\n'
    )
    (folder / "broken.toml").write_text('primary = "not a colour"\n')
    return folder


async def test_theme_option_user_themes_and_fallback(make_app, tmp_path: Path) -> None:
    app = make_app(theme="sunset", user_themes=user_theme_dir(tmp_path))
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "sunset"
        bar = app.browser.rows.get_component_rich_style("usage-list--bar")
        assert bar.color is not None and bar.color.triplet.hex == "#ff0000"
        # start-up problems go to the status line, not to a toast over the rows
        assert "broken.toml" in app.browser.status.notice
        assert "broken.toml" in screen_text(app).splitlines()[-2]
        assert not app._notifications
    app = make_app(theme="no-such-theme")
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        assert app.theme == themes.DEFAULT_THEME
        assert "unknown theme 'no-such-theme'" in app.browser.status.notice
        assert not app._notifications


async def test_switching_through_every_theme(make_app) -> None:
    app = make_app(theme="tokentree-light")
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        rows = app.browser.rows
        for name in [*themes.BUNDLED, *sorted(BUILTIN_THEMES)]:
            app.theme = name
            await pilot.pause()
            expected = app.theme_variables["bar-fill"]
            bar = rows.get_component_rich_style("usage-list--bar")
            if not app.current_theme.ansi:
                assert bar.color.triplet.hex.lower() == Color.parse(expected).hex6.lower(), name
            strip = rows.render_line(0)
            assert strip.cell_length == rows.row_layout.width and strip.text.strip(), name
