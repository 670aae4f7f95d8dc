"""The ``?`` panel, generated from the binding registry (with the user's keymap applied), with
the activity colour legend in the current theme's colours."""

from __future__ import annotations

from collections.abc import Mapping

from rich.columns import Columns
from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.color import Color
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tokentree.model.charset import Charset, for_charset
from tokentree.ui import bindings
from tokentree.ui.ascii import for_terminal, use_ascii_scrollbars
from tokentree.ui.cells import crop
from tokentree.ui.themes import ACTIVITIES

INTRO = (
    "tokentree shows your AI coding-assistant usage one level at a time, like ncdu: "
    "weeks → days → sessions → turns → calls. Bars are scaled to the largest row; "
    "percentages are shares of the level's parent."
)
LEGEND = (
    "CC, CX …: the session's source (S lists them) · +2 agents (+2a): subagents ran here · "
    "$1.20+?: some calls have no known price (unpriced: none has) · hit: cache reads over the "
    "whole input side · activity: estimated split of the tokens by what they were spent on"
)
SWATCH = "██"
TITLE = "tokentree · keys"
SUBTITLE = "Esc closes · Ctrl+P: command palette (themes …)"
WIDTH = 104
"""The panel's width where there is room (else the whole screen)."""
TITLE_MARGIN = 6


def help_table(keymap: Mapping[str, str] | None = None) -> Table:
    table = Table(box=None, padding=(0, 2), show_header=False, expand=False)
    table.add_column(style="bold")
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    previous = None
    for section, keys, description in bindings.help_rows(keymap):
        table.add_row(section if section != previous else "", keys, description)
        previous = section
    return table


def activity_legend(colours: Mapping[str, str]) -> RenderableType:
    """``██ reading  ██ editing …``: each activity category in its theme colour (``colours``
    holds the theme's ``activity-<name>`` variables), laid out in columns."""
    items = []
    for name in ACTIVITIES:
        colour = colours.get(f"activity-{name}")
        item = Text(SWATCH, style=Style(color=Color.parse(colour).rich_color if colour else None))
        item.append(f" {name}")
        items.append(item)
    return Group(
        Text("Activity colours", style="bold"), Columns(items, padding=(0, 2), expand=False)
    )


class HelpScreen(ModalScreen[None]):
    """Every key, grouped, with what it does."""

    BINDINGS = bindings.PANEL
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 104; max-width: 100%; height: auto; max-height: 90%;  /* WIDTH */
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(
        self, keymap: Mapping[str, str] | None = None, *, charset: Charset = "unicode"
    ) -> None:
        super().__init__()
        self.keymap = dict(keymap or {})
        self.charset: Charset = charset

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            body = Group(
                Text(INTRO, style="italic"),
                Text(LEGEND, style="dim"),
                activity_legend(self.app.theme_variables),
                Text(""),
                help_table(self.keymap),
            )
            yield Static(for_terminal(body, self.charset), id="help-body")

    def on_mount(self) -> None:
        if self.charset == "ascii":
            use_ascii_scrollbars(self.query_one(VerticalScroll))

    def on_resize(self, event: events.Resize) -> None:
        """Titles cut by us (Textual would cut them with a Unicode ellipsis)."""
        room = min(event.size.width, WIDTH) - TITLE_MARGIN
        scroll = self.query_one(VerticalScroll)
        scroll.border_title = for_charset(crop(TITLE, room), self.charset)
        scroll.border_subtitle = for_charset(crop(SUBTITLE, room), self.charset)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_up() if direction == "up" else scroll.scroll_down()

    def action_close(self) -> None:
        self.dismiss(None)
