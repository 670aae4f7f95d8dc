"""The ``/`` filter: a line under the list with the typed text and how many rows match."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from tokentree.model.charset import Charset, for_charset


class FilterBar(Input):
    """The text field; posts :class:`FilterBar.Edited` on every edit and
    :class:`FilterBar.Done` on Enter (keep) or Escape (clear)."""

    DEFAULT_CSS = """
    FilterBar { width: 1fr; height: 1; border: none; padding: 0; background: $panel; }
    FilterBar:focus { border: none; }
    """

    class Edited(Message):
        def __init__(self, text: str) -> None:
            self.text = text
            super().__init__()

    class Done(Message):
        def __init__(self, keep: bool) -> None:
            self.keep = keep
            super().__init__()

    def __init__(self, *, placeholder: str, id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id, select_on_focus=False)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Edited(event.value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Done(keep=True))

    def key_escape(self) -> None:
        self.post_message(self.Done(keep=False))


class FilterLine(Horizontal):
    """``/ <text>  3/12`` (or ``no matches``); hidden until ``/``."""

    DEFAULT_CSS = """
    FilterLine { height: 1; display: none; background: $panel; padding: 0 1; }
    FilterLine.-open { display: block; }
    FilterLine > #filter-prompt { width: 2; color: $crumb; text-style: bold; }
    FilterLine > #filter-matches { width: auto; color: $count; padding-left: 1; }
    FilterLine > #filter-matches.-none { color: $warning; }
    """

    def __init__(self, *, charset: Charset = "unicode", id: str | None = None) -> None:
        super().__init__(id=id)
        self.charset: Charset = charset

    def compose(self) -> ComposeResult:
        yield Label("/", id="filter-prompt")
        yield FilterBar(placeholder=for_charset("filter this level…", self.charset), id="filter")
        yield Label("", id="filter-matches")

    @property
    def bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self, text: str) -> None:
        bar = self.bar
        bar.value = text
        self.add_class("-open")
        bar.focus()
        bar.cursor_position = len(text)

    def close(self) -> None:
        self.remove_class("-open")

    def set_matches(self, shown: int, total: int, active: bool) -> None:
        """``shown/total`` while a filter is typed, ``no matches`` when it hides every row."""
        label = self.query_one("#filter-matches", Label)
        label.set_class(active and shown == 0, "-none")
        label.update("" if not active else "no matches" if shown == 0 else f"{shown}/{total}")
