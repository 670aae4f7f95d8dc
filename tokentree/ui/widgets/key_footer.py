"""The footer of keys, shortened in a side pane: below :data:`NARROW` columns it is compact
and only help and quit keep their descriptions (every key is still in ``?`` and Ctrl+P)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

NARROW = 60
"""Below this width the footer is shortened."""
PALETTE_FROM = 100
"""From this width the footer also lists Ctrl+P (the command palette)."""
DESCRIBED_WHEN_NARROW = frozenset({"help", "quit"})
"""Actions whose description stays in a narrow footer."""


class KeyFooter(Footer):
    """Textual's footer, with a narrow mode."""

    narrow = reactive(False, recompose=True)

    def fit(self, width: int) -> None:
        """Adapt to a screen ``width`` cells wide."""
        self.narrow = width < NARROW
        self.compact = self.narrow
        self.show_command_palette = width >= PALETTE_FROM

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if (
                self.narrow
                and isinstance(widget, FooterKey)
                and widget.action not in DESCRIBED_WHEN_NARROW
            ):
                widget.description = ""
            yield widget
