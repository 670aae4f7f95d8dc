"""Themes are data: TOML files mapped onto Textual's :class:`~textual.theme.Theme`.

Bundled themes come from the wheel (``tokentree/_themes``) or, in a source checkout, the repo's
``themes/``; user themes from :func:`tokentree.paths.user_themes_dir` override them by name.
tokentree's own colours are theme ``variables`` (:data:`VARIABLES`); any a theme leaves out are
derived from its base colours by :func:`variable_defaults`, so every Textual theme works too.
File format and glossary: docs/themes.md.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

from tokentree.model.categories import CATEGORIES

DEFAULT_THEME = "tokentree-dark"
BUNDLED = ("tokentree-dark", "tokentree-light", "tokentree-mono")

ACTIVITIES = CATEGORIES
"""Activity categories of ``extra["activity"]``, each with a theme colour, in display order."""

VARIABLES: dict[str, str] = {
    "bar-fill": "the filled part of a row's bar",
    "bar-empty": "the rest of the bar (its track)",
    "percent": "the share-of-parent column",
    "tokens": "the tokens column",
    "cost": "the cost column",
    "unpriced": "costs that include unpriced calls (`$1.20+?`, `unpriced`)",
    "cache-hit": "the cache-hit column",
    "count": "the children column and other secondary text",
    "crumb": "the breadcrumb's current node",
    "source": "the source marker before a session (`CC` Claude Code, `CX` Codex …)",
    "live": "the live-mode indicator",
    "paused": "the paused live-mode indicator",
    **{f"activity-{name}": f"the {name} part of the activity column" for name in ACTIVITIES},
}
"""tokentree's theme variables and what they colour (the glossary in docs/themes.md)."""

THEME_KEYS = {f.name for f in fields(Theme)} - {"variables", "ansi"}


@dataclass(slots=True)
class ThemeSet:
    themes: dict[str, Theme] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    """One line per theme file that could not be used (its name and why)."""


def bundled_dir() -> Path:
    """``tokentree/_themes`` in an installed wheel, else the checkout's ``themes/``."""
    packaged = Path(str(resources.files("tokentree").joinpath("_themes")))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "themes"


def _colour(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where}: expected a colour string, got {value!r}")
    try:
        Color.parse(value)
    except ColorParseError as error:
        raise ValueError(f"{where}: {error}") from None
    return value


def parse_theme(data: dict[str, object], name: str) -> Theme:
    """A Theme from a TOML document; ``name`` (the file stem) must match ``data["name"]``."""
    if data.get("name", name) != name:
        raise ValueError(f"name {data.get('name')!r} does not match the file name {name!r}")
    unknown = set(data) - THEME_KEYS - {"variables"}
    if unknown:
        raise ValueError(f"unknown key(s): {', '.join(sorted(unknown))}")
    if "primary" not in data:
        raise ValueError("missing 'primary'")
    options: dict[str, object] = {}
    for key, value in data.items():
        if key in ("name", "variables"):
            continue
        if key == "dark":
            options[key] = bool(value)
        elif key in ("luminosity_spread", "text_alpha"):
            options[key] = float(value)  # type: ignore[arg-type]
        else:
            options[key] = _colour(value, key)
    variables = data.get("variables", {})
    if not isinstance(variables, dict):
        raise ValueError("[variables] must be a table")
    checked = {str(k): _colour(v, f"variables.{k}") for k, v in variables.items()}
    return Theme(name=name, variables=checked, **options)  # type: ignore[arg-type]


def load_dir(directory: Path, into: ThemeSet) -> None:
    """Add every ``*.toml`` theme of ``directory`` (later ones override earlier by name)."""
    if not directory.is_dir():
        return
    for path in sorted(directory.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text("utf-8"))
            into.themes[path.stem] = parse_theme(data, path.stem)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, TypeError) as e:
            into.errors.append(f"{path.name}: {e}")


def load_themes(user_dir: Path | None = None) -> ThemeSet:
    """The bundled themes plus the user's (which win on a name clash)."""
    found = ThemeSet()
    load_dir(bundled_dir(), found)
    if user_dir is not None:
        load_dir(user_dir, found)
    return found


def choose_theme(
    available: Collection[str], *, wanted: str | None, remembered: str | None, configured: str
) -> tuple[str, str | None]:
    """The theme to start with: ``--theme``, else the one last picked in the palette, else the
    config's; the default (with a notice) when that one does not exist."""
    name = wanted or remembered or configured
    if name in available:
        return name, None
    return DEFAULT_THEME, f"unknown theme {name!r}; using {DEFAULT_THEME}"


def _mix(base: str, other: str, amount: float) -> str:
    return Color.parse(base).blend(Color.parse(other), amount).hex


def variable_defaults(theme: Theme) -> dict[str, str]:
    """tokentree's variables derived from a theme's base colours (literal colours only)."""
    c = theme.to_color_system().generate()
    if theme.ansi:
        return _ansi_defaults()
    fg, bg = c["foreground"], c["background"]
    palette = {
        "reading": c["primary"],
        "editing": c["accent"],
        "executing": c["warning"],
        "git": c["error"],
        "testing": c["success"],
        "searching": c["secondary"],
        "planning": _mix(c["primary"], fg, 0.45),
        "delegating": _mix(c["accent"], fg, 0.45),
        "mcp": _mix(c["warning"], bg, 0.45),
        "conversation": _mix(fg, bg, 0.35),
        "context": _mix(c["success"], bg, 0.45),
        "other": _mix(fg, bg, 0.6),
    }
    return {
        "bar-fill": c["primary"],
        "bar-empty": _mix(bg, fg, 0.12),
        "percent": _mix(fg, bg, 0.25),
        "tokens": fg,
        "cost": c["warning"],
        "unpriced": c["error"],
        "cache-hit": c["success"],
        "count": _mix(fg, bg, 0.45),
        "crumb": c["primary"],
        "source": c["secondary"],
        "live": c["success"],
        "paused": c["warning"],
        **{f"activity-{name}": colour for name, colour in palette.items()},
    }


def _ansi_defaults() -> dict[str, str]:
    names = ("blue", "green", "yellow", "red", "magenta", "cyan")
    activity = [f"ansi_{n}" for n in names] + [f"ansi_bright_{n}" for n in names]
    return {
        "bar-fill": "ansi_blue",
        "bar-empty": "ansi_bright_black",
        "percent": "ansi_default",
        "tokens": "ansi_default",
        "cost": "ansi_yellow",
        "unpriced": "ansi_red",
        "cache-hit": "ansi_green",
        "count": "ansi_bright_black",
        "crumb": "ansi_blue",
        "source": "ansi_magenta",
        "live": "ansi_green",
        "paused": "ansi_yellow",
        **{f"activity-{n}": colour for n, colour in zip(ACTIVITIES, activity, strict=True)},
    }
