"""Every key of the explorer, in one registry: the widgets' ``BINDINGS``, the footer, the help
screen, the command palette and docs/keys.md (``scripts/gen_keys_doc.py``) all come from here.

Each binding has an ``id`` (``tokentree.<verb>``) so users can remap it in the config's
``[keymap]`` table (applied with ``App.set_keymap``), a short ``description`` for the footer and
a ``tooltip`` with the longer text the help screen shows.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.binding import Binding

SORT = Binding.Group("Sort", compact=True)
"""The footer shows the sort keys together: ``sct Sort``."""

LIST = [
    Binding(
        "up,k",
        "cursor_up",
        "Up",
        show=False,
        id="tokentree.cursor-up",
        tooltip="Move the cursor up",
    ),
    Binding(
        "down,j",
        "cursor_down",
        "Down",
        show=False,
        id="tokentree.cursor-down",
        tooltip="Move the cursor down",
    ),
    Binding(
        "pageup",
        "page_up",
        "Page up",
        show=False,
        id="tokentree.page-up",
        tooltip="Move the cursor one page up",
    ),
    Binding(
        "pagedown",
        "page_down",
        "Page down",
        show=False,
        id="tokentree.page-down",
        tooltip="Move the cursor one page down",
    ),
    Binding(
        "home", "first", "First", show=False, id="tokentree.first", tooltip="Go to the first row"
    ),
    Binding("end", "last", "Last", show=False, id="tokentree.last", tooltip="Go to the last row"),
    Binding(
        "right,enter,l",
        "open",
        "Open",
        key_display="→",
        id="tokentree.open",
        tooltip="Open the selected row (a call shows its info)",
    ),
]
"""Keys of the usage list (active while it has focus)."""

BROWSER = [
    Binding(
        "left,h,backspace",
        "up",
        "Back",
        key_display="←",
        id="tokentree.up",
        tooltip="Go up one level; the cursor returns to the row you came from",
    ),
    Binding(
        "s",
        "sort('tokens')",
        "Tokens",
        id="tokentree.sort-tokens",
        group=SORT,
        tooltip="Sort by tokens (largest first; again to reverse)",
    ),
    Binding(
        "c",
        "sort('cost')",
        "Cost",
        id="tokentree.sort-cost",
        group=SORT,
        tooltip="Sort by cost (largest first; again to reverse)",
    ),
    Binding(
        "t",
        "sort('time')",
        "Time",
        id="tokentree.sort-time",
        group=SORT,
        tooltip="Sort by time (oldest first; again to reverse)",
    ),
    Binding(
        "C",
        "sort('children')",
        "Children",
        show=False,
        id="tokentree.sort-children",
        tooltip="Sort by number of children (most first; again to reverse)",
    ),
    Binding(
        "percent_sign",
        "sort('cache_hit')",
        "Cache hit",
        show=False,
        key_display="%",
        id="tokentree.sort-cache-hit",
        tooltip="Sort by cache-hit rate (highest first; again to reverse)",
    ),
    Binding(
        "a",
        "cycle_measure",
        "Measure",
        show=False,
        id="tokentree.measure",
        tooltip="Measure: total tokens → cost → output → uncached input",
    ),
    Binding(
        "g",
        "cycle_graph",
        "Graph",
        show=False,
        id="tokentree.graph",
        tooltip="Graph columns: bar → percent → both → none",
    ),
    Binding(
        "i",
        "info",
        "Info",
        id="tokentree.info",
        tooltip="Info on the selected row: models, prices, cache savings, files",
    ),
    Binding(
        "slash",
        "filter",
        "Filter",
        key_display="/",
        id="tokentree.filter",
        tooltip="Filter this level by text (Enter keeps it, Esc clears it)",
    ),
    Binding(
        "escape",
        "clear_filter",
        "Clear filter",
        show=False,
        id="tokentree.clear-filter",
        tooltip="Clear the filter",
    ),
    Binding(
        "e",
        "export",
        "Export",
        id="tokentree.export",
        tooltip="Export the selected row and its subtree to ./tokentree-<kind>-<id>.json",
    ),
    Binding(
        "r",
        "reload",
        "Reload",
        show=False,
        id="tokentree.reload",
        tooltip="Re-read transcripts that changed on disk",
    ),
    Binding(
        "p",
        "toggle_live",
        "Live",
        show=False,
        id="tokentree.live",
        tooltip="Pause or resume live mode (following new log lines)",
    ),
    Binding(
        "d",
        "demo",
        "Demo",
        id="tokentree.demo",
        tooltip="Load the embedded demo data (when no transcripts were found)",
    ),
    Binding(
        "S",
        "sources",
        "Sources",
        show=False,
        id="tokentree.sources",
        tooltip="Show or hide sources (Claude Code, Codex, Gemini …)",
    ),
]
"""Keys of the browser screen."""

LIVE_PANE = Binding(
    "L",
    "live_pane",
    "Live pane",
    show=False,
    id="tokentree.live-pane",
    tooltip="Switch between the explorer and the live pane (tokentree live)",
)
BROWSER.append(LIVE_PANE)

LIVE = [
    Binding(
        "e",
        "export_session",
        "Export",
        id="tokentree.live-export",
        tooltip="Live pane: export the followed session to ./tokentree-session-<id>.json",
    ),
    Binding(
        "enter",
        "open_explorer",
        "Explorer",
        key_display="↵",
        id="tokentree.live-open",
        tooltip="Live pane: open the followed session in the explorer",
    ),
    LIVE_PANE,
    *(b for b in BROWSER if b.id in ("tokentree.reload", "tokentree.live", "tokentree.demo")),
]
"""Keys of the live pane (reload, pause and the demo work as in the explorer)."""

SOURCES = [
    Binding(
        "space",
        "toggle_source",
        "Show/hide",
        id="tokentree.toggle-source",
        tooltip="In the sources panel: show or hide the selected source",
    ),
    Binding(
        "enter",
        "apply_sources",
        "Apply",
        id="tokentree.apply-sources",
        tooltip="In the sources panel: show the chosen sources",
    ),
    Binding(
        "escape,q,S",
        "close",
        "Cancel",
        id="tokentree.cancel-sources",
        tooltip="Close the sources panel without changes",
    ),
]
"""Keys of the sources panel."""

PANEL = [
    Binding(
        "escape,q,i,question_mark",
        "close",
        "Close",
        id="tokentree.close",
        tooltip="Close the info or help panel",
    ),
    Binding(
        "up,k",
        "scroll('up')",
        "Scroll up",
        show=False,
        id="tokentree.scroll-up",
        tooltip="Scroll the panel up",
    ),
    Binding(
        "down,j",
        "scroll('down')",
        "Scroll down",
        show=False,
        id="tokentree.scroll-down",
        tooltip="Scroll the panel down",
    ),
]
"""Keys of the info and help panels."""

APP = [
    Binding(
        "question_mark",
        "help",
        "Help",
        key_display="?",
        id="tokentree.help",
        tooltip="Show this help",
    ),
    Binding("q", "quit", "Quit", id="tokentree.quit", tooltip="Quit tokentree"),
    Binding(
        "ctrl+c",
        "quit",
        "Quit",
        show=False,
        priority=True,
        id="tokentree.interrupt",
        tooltip="Quit at once, also while typing a filter",
    ),
]
"""Keys that work everywhere."""

REGISTRY = (LIST, BROWSER, LIVE, SOURCES, PANEL, APP)
"""Every list of keys; a binding shared by two screens is the same object in both."""
_ALL = {binding.id: binding for group in REGISTRY for binding in group}
ALL = list(_ALL.values())
"""Every binding once."""

SECTIONS: list[tuple[str, list[Binding]]] = [
    (section, [_ALL[f"tokentree.{name}"] for name in names])
    for section, names in (
        ("Move", ("cursor-up", "cursor-down", "page-up", "page-down", "first", "last")),
        ("Open", ("open", "up", "info")),
        ("Sort", ("sort-tokens", "sort-cost", "sort-time", "sort-children", "sort-cache-hit")),
        ("Show", ("measure", "graph", "filter", "clear-filter", "sources")),
        ("Data", ("export", "reload", "live", "demo")),
        ("Live pane", ("live-pane", "live-export", "live-open")),
        ("Panels", ("close", "scroll-up", "scroll-down")),
        ("Sources panel", ("toggle-source", "apply-sources", "cancel-sources")),
        ("App", ("help", "quit", "interrupt")),
    )
]
"""The help screen's sections (every binding appears exactly once)."""

KEY_NAMES = {
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "enter": "Enter",
    "backspace": "Backspace",
    "escape": "Esc",
    "slash": "/",
    "question_mark": "?",
    "percent_sign": "%",
    "space": "Space",
    "tab": "Tab",
}


def key_label(key: str) -> str:
    """A Textual key name as people write it: ``pageup`` → ``PgUp``, ``ctrl+p`` → ``Ctrl+P``."""
    if key in KEY_NAMES:
        return KEY_NAMES[key]
    if len(key) > 1 and key[0] == "f" and key[1:].isdigit():
        return key.upper()
    if "+" in key:
        *mods, last = key.split("+")
        return "+".join([m.capitalize() for m in mods] + [key_label(last).upper()])
    return key


def keys_of(binding: Binding, keymap: Mapping[str, str] | None = None) -> str:
    """The keys a binding answers to (after the user's keymap), for help and docs."""
    keys = (keymap or {}).get(binding.id or "", binding.key)
    return " ".join(key_label(k.strip()) for k in keys.split(",") if k.strip())


def help_rows(keymap: Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(section, keys, description) for every binding, in help order."""
    return [
        (section, keys_of(binding, keymap), binding.tooltip or binding.description)
        for section, bindings in SECTIONS
        for binding in bindings
    ]
