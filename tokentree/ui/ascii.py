"""The explorer in ASCII, for terminals whose locale is not UTF-8.

Our own widgets pass their text through :func:`tokentree.model.charset.for_charset`; this
module covers the rest: rich renderables of the panels (:class:`AsciiRenderable`), Textual's
scrollbars (:func:`use_ascii_scrollbars`), and, through the app's ``-ascii`` class in
``app.tcss``, borders and toasts.
"""

from __future__ import annotations

from typing import ClassVar

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from textual.scrollbar import ScrollBarRender
from textual.widget import Widget

from tokentree.model.charset import Charset, to_ascii


class AsciiRenderable:
    """Renders ``renderable`` with every character replaced by an ASCII stand-in of the same
    width (so tables stay aligned)."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            if segment.control or segment.text.isascii():
                yield segment
            else:
                yield Segment(to_ascii(segment.text), segment.style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)


def for_terminal(renderable: RenderableType, charset: Charset) -> RenderableType:
    """``renderable`` as the terminal can show it."""
    return AsciiRenderable(renderable) if charset == "ascii" else renderable


class AsciiScrollBarRender(ScrollBarRender):
    """Scrollbars drawn with spaces only (whole-cell steps instead of eighth blocks)."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "]
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "]


def use_ascii_scrollbars(widget: Widget) -> None:
    """Give ``widget``'s scrollbars the ASCII renderer."""
    widget.vertical_scrollbar.renderer = AsciiScrollBarRender
    widget.horizontal_scrollbar.renderer = AsciiScrollBarRender
