"""The base of live mode's panels: lines of styled pieces, fitted to a narrow pane.

A panel builds its lines as lists of :data:`Piece` (text and a style name); the base class
crops them to the width, draws them with the theme's colours (component classes, so colours
stay data in themes/) and degrades to ASCII with the terminal.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from tokentree.model.charset import Charset, for_charset
from tokentree.ui.cells import crop
from tokentree.ui.themes import ACTIVITIES

Piece = tuple[str, str]
"""A run of text and the name of its style (``""`` for the panel's own colour)."""
Line = list[Piece]

STYLES = ("title", "dim", "tokens", "cost", "unpriced", "hit", "live", "paused", "warning", "error")


def rule(title: str, width: int) -> Line:
    """``─ title ──────`` across ``width`` cells."""
    head = f"─ {title} " if title else ""
    head = crop(head, width)
    return [(head, "title"), ("─" * max(width - cell_len(head), 0), "dim")]


def first_fitting(candidates: Sequence[Line], width: int) -> Line:
    """The first line of ``candidates`` (most detailed first) that fits ``width``; else the
    last, cropped."""
    for line in candidates:
        if sum(cell_len(text) for text, _ in line) <= width:
            return line
    return list(candidates[-1]) if candidates else []


def joined(groups: Sequence[Line], width: int, gap: str = "  ") -> Line:
    """As many of ``groups`` (most important first) as fit in ``width``, ``gap`` apart."""
    line: Line = []
    used = 0
    for group in groups:
        size = sum(cell_len(text) for text, _ in group)
        extra = size + (cell_len(gap) if line else 0)
        if line and used + extra > width:
            break
        if line:
            line.append((gap, ""))
        line.extend(group)
        used += extra
    return line


def right_aligned(left: Line, right: Line, width: int) -> Line:
    """``left`` and ``right`` on one line, ``right`` flush right when both fit."""
    size_left = sum(cell_len(t) for t, _ in left)
    size_right = sum(cell_len(t) for t, _ in right)
    if size_left + 1 + size_right > width:
        return left
    return [*left, (" " * (width - size_left - size_right), ""), *right]


class LivePanel(Widget):
    """A block of styled lines (subclasses set :attr:`lines` through :meth:`build`)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"live--{name}" for name in STYLES),
        *(f"live--activity-{name}" for name in ACTIVITIES),
    }
    DEFAULT_CSS = """
    LivePanel { height: auto; background: $background; color: $foreground; padding: 0 1; }
    LivePanel > .live--title { color: $crumb; text-style: bold; }
    LivePanel > .live--dim { color: $count; }
    LivePanel > .live--tokens { color: $tokens; }
    LivePanel > .live--cost { color: $cost; }
    LivePanel > .live--unpriced { color: $unpriced; }
    LivePanel > .live--hit { color: $cache-hit; }
    LivePanel > .live--live { color: $live; }
    LivePanel > .live--paused { color: $paused; }
    LivePanel > .live--warning { color: $warning; text-style: bold; }
    LivePanel > .live--error { color: $error; text-style: bold; }
    """ + "\n".join(
        f"LivePanel > .live--activity-{n} {{ color: $activity-{n}; }}" for n in ACTIVITIES
    )

    def __init__(self, *, charset: Charset = "unicode", id: str | None = None) -> None:
        super().__init__(id=id)
        self.charset: Charset = charset

    def build(self, width: int, height: int) -> list[Line]:
        """The panel's lines for a content area of ``width`` × ``height`` cells."""
        return []

    def render(self) -> Text:
        width, height = self.content_region.width, self.content_region.height
        lines = self.build(width, height)
        out = Text(no_wrap=True, end="")
        for index, line in enumerate(lines):
            if index:
                out.append("\n")
            room = width
            for text, style in line:
                if room <= 0:
                    break
                shown = crop(text, room)
                room -= cell_len(shown)
                out.append(
                    for_charset(shown, self.charset),
                    style=self.get_component_rich_style(f"live--{style}") if style else "",
                )
        return out

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(len(self.build(width, 0)), 1)
