"""The footer of keys, shortened to fit: below :data:`COMPACT` columns it drops the padding,
below :data:`NARROW` only help and quit keep their descriptions (every key is still listed by
``?`` and Ctrl+P)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

COMPACT = 76
"""Below this width the keys lose their padding (the full footer would not fit)."""
NARROW = 60
"""Below this width most keys lose their descriptions too."""
PALETTE_FROM = 100
"""From this width the footer also lists Ctrl+P (the command palette)."""
DESCRIBED_WHEN_NARROW = frozenset({"help", "quit"})
"""Actions whose description stays in a narrow footer."""


class KeyFooter(Footer):
    """Textual's footer, with a narrow mode."""

    DEFAULT_CSS = """
    KeyFooter.-compact FooterLabel { margin-right: 1; }
    KeyFooter.-narrow FooterKey { margin-right: 1; }
    """

    narrow = reactive(False, recompose=True, toggle_class="-narrow")

    def __init__(self, described: frozenset[str] = DESCRIBED_WHEN_NARROW) -> None:
        super().__init__()
        self.described = described
        """Actions whose description stays when narrow."""

    def fit(self, width: int) -> None:
        """Adapt to a screen ``width`` cells wide."""
        self.narrow = width < NARROW
        self.compact = width < COMPACT
        self.show_command_palette = width >= PALETTE_FROM

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if (
                self.narrow
                and isinstance(widget, FooterKey)
                and widget.action not in self.described
            ):
                widget.description = ""
            yield widget
