"""The ``S`` panel: which assistants' usage the tree shows.

Lists every source read (Claude Code, Codex, Gemini …) with its marker, calls and tokens; space
shows or hides the selected one, Enter applies. Hiding a source leaves its calls out of every
level, the totals, the export and the insights until it is shown again; nothing is re-read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tokentree.model import format as fmt
from tokentree.model.charset import Charset, for_charset
from tokentree.ui import bindings
from tokentree.ui.cells import crop

if TYPE_CHECKING:
    from tokentree.data.source import SourceUsage

TITLE = "tokentree · sources"
HINT = "space: show/hide · Enter: apply · Esc: cancel"
WIDTH = 64


def option_text(usage: SourceUsage, shown: bool, charset: Charset) -> Text:
    """``[x] CC Claude Code   1,234 calls  12.3M``"""
    box = "[x]" if shown else "[ ]"
    text = Text(f"{box} ")
    text.append(f"{usage.marker:<2} ", style="bold")
    text.append(f"{usage.label:<16} ")
    text.append(
        f"{fmt.plural(usage.calls, 'call'):>13}  {fmt.human_count(usage.tokens):>6}",
        style="dim",
    )
    return Text(for_charset(text.plain, charset), spans=text.spans)


class SourcesScreen(ModalScreen[frozenset[str] | None]):
    """Dismissed with the set of hidden source names, or None when cancelled."""

    BINDINGS = bindings.SOURCES
    DEFAULT_CSS = """
    SourcesScreen { align: center middle; }
    SourcesScreen > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 90%;  /* WIDTH */
        border: round $primary; background: $surface; padding: 0 1;
    }
    SourcesScreen OptionList { height: auto; max-height: 20; border: none; }
    SourcesScreen #sources-hint { color: $text-muted; }
    """

    def __init__(self, usage: list[SourceUsage], *, charset: Charset = "unicode") -> None:
        super().__init__()
        self.usage = usage
        self.charset: Charset = charset
        self.hidden = {u.name for u in usage if u.hidden}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield OptionList(*self._options(), id="sources-list")
            yield Static(for_charset(HINT, self.charset), id="sources-hint")

    def _options(self) -> list[Option]:
        return [
            Option(option_text(u, u.name not in self.hidden, self.charset), id=u.name)
            for u in self.usage
        ]

    def on_resize(self, event: events.Resize) -> None:
        room = min(event.size.width, WIDTH) - 6
        self.query_one(Vertical).border_title = for_charset(crop(TITLE, room), self.charset)

    def action_toggle_source(self) -> None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None:
            return
        name = self.usage[index].name
        self.hidden ^= {name}
        if len(self.hidden) == len(self.usage):
            self.hidden.discard(name)  # at least one source stays visible
            self.notify("At least one source stays shown", timeout=2)
        options.replace_option_prompt_at_index(
            index, option_text(self.usage[index], name not in self.hidden, self.charset)
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_apply_sources()

    def action_apply_sources(self) -> None:
        self.dismiss(frozenset(self.hidden))

    def action_close(self) -> None:
        self.dismiss(None)
