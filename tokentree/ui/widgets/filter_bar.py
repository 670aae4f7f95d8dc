"""The ``/`` filter: an input under the list that narrows the current level as you type."""

from __future__ import annotations

from textual import on
from textual.message import Message
from textual.widgets import Input


class FilterBar(Input):
    """Hidden until ``/``; posts :class:`FilterBar.Edited` on every edit and
    :class:`FilterBar.Done` on Enter (keep) or Escape (clear)."""

    DEFAULT_CSS = """
    FilterBar { dock: bottom; height: 1; border: none; padding: 0 1; display: none;
                background: $panel; }
    FilterBar.-open { display: block; }
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

    def __init__(self, id: str | None = None) -> None:
        super().__init__(placeholder="filter this level…", id=id, select_on_focus=False)

    def open(self, text: str) -> None:
        self.value = text
        self.add_class("-open")
        self.focus()
        self.cursor_position = len(text)

    def close(self) -> None:
        self.remove_class("-open")

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
