"""The ``?`` panel, generated from the binding registry (with the user's keymap applied)."""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tokentree.ui import bindings

INTRO = (
    "tokentree shows your AI coding-assistant usage one level at a time, like ncdu: "
    "weeks → days → sessions → turns → calls. Bars are scaled to the largest row; "
    "percentages are shares of the level's parent."
)
LEGEND = (
    "+2 agents (+2a): subagents ran here · $1.20+?: some calls have no known price "
    "(unpriced: none has) · hit: cache reads over the whole input side · activity: estimated "
    "split of the tokens by what they were spent on"
)


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


class HelpScreen(ModalScreen[None]):
    """Every key, grouped, with what it does."""

    BINDINGS = bindings.PANEL
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 104; max-width: 100%; height: auto; max-height: 90%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, keymap: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.keymap = dict(keymap or {})

    def compose(self) -> ComposeResult:
        with VerticalScroll() as scroll:
            scroll.border_title = "tokentree · keys"
            scroll.border_subtitle = "Esc closes · Ctrl+P: command palette (themes …)"
            body = Group(
                Text(INTRO, style="italic"),
                Text(LEGEND, style="dim"),
                Text(""),
                help_table(self.keymap),
            )
            yield Static(body, id="help-body")

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one(VerticalScroll)
        scroll.scroll_up() if direction == "up" else scroll.scroll_down()

    def action_close(self) -> None:
        self.dismiss(None)
