"""The two header lines (breadcrumb; totals of the current node, time zone, data range and the
live indicator) and the column titles above the list.

Both header lines stay one line at any width: the breadcrumb elides its middle, the totals
line gives up its least important parts first (data range, counts, cache hit) and keeps the
tokens, the cost and a one-cell live indicator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from tokentree.model import format as fmt
from tokentree.model.charset import Charset, for_charset
from tokentree.model.listing import Listing
from tokentree.model.tree import Kind, Node
from tokentree.model.usage import Totals
from tokentree.ui.cells import ELLIPSIS, crop
from tokentree.ui.widgets.columns import header_cells
from tokentree.ui.widgets.usage_list import UsageList

SEPARATOR = " › "
WIDE = 70
"""From this width (inside the padding) the totals line may space its parts wider."""

LIVE_MARKERS = {"on": "● live", "polling": "● live (polling)", "paused": "‖ live paused"}
"""The live indicator where there is room; its first character alone where there is not."""


def crumb(node: Node) -> str:
    """A node's breadcrumb text: ids for weeks and days, labels below."""
    return node.id if node.kind in (Kind.WEEK, Kind.DAY) else node.label


def breadcrumb(nodes: tuple[Node, ...], width: int) -> str:
    """``All › 2026-W47 › 2026-11-20 › …`` in one line of ``width`` cells: the middle crumbs
    give way to ``…`` first, then ``All``, then the last crumb is cut."""
    parts = ["All", *(crumb(node) for node in nodes)]
    text = SEPARATOR.join(parts)
    if cell_len(text) <= width:
        return text
    for keep in range(len(parts) - 2, 0, -1):  # All › … › the last `keep` crumbs
        text = SEPARATOR.join([parts[0], ELLIPSIS, *parts[-keep:]])
        if cell_len(text) <= width:
            return text
    return crop(SEPARATOR.join([ELLIPSIS, parts[-1]]) if len(parts) > 1 else parts[0], width)


@dataclass(slots=True)
class HeaderState:
    nodes: tuple[Node, ...] = ()
    totals: Totals | None = None
    children: int = 0
    child_kind: Kind = Kind.WEEK
    zone: str = ""
    data_range: str = ""
    live: str = "off"
    """``on``, ``paused``, ``polling`` or ``off``."""
    hidden_sources: tuple[str, ...] = ()
    """Sources hidden with ``S`` (named on the totals line while any are)."""
    partial: date | None = None
    """Only the weeks from this day on are read yet (the totals say so)."""


def totals_parts(state: HeaderState) -> list[str]:
    """The totals line's parts, most important first."""
    totals = state.totals
    if totals is None:
        return []
    parts = [
        fmt.tokens(totals.total),
        fmt.cost(totals),
        f"cache hit {fmt.ratio(totals.cache_hit)}",
        fmt.plural(totals.calls, "call"),
    ]
    if state.partial is not None:  # third: kept unless the line is very narrow
        parts.insert(2, f"partial: since {state.partial.isoformat()}")
    if state.children and state.child_kind is not Kind.CALL:
        parts.append(fmt.plural(state.children, state.child_kind.value))
    return parts


@dataclass(frozen=True, slots=True)
class TotalsLine:
    totals: str
    where: str
    """Time zone and data range ("" when left out)."""
    live: str
    """The live marker, long or one cell ("" when live mode is off)."""
    gap: str

    @property
    def right(self) -> str:
        return self.gap.join(part for part in (self.where, self.live) if part)


def totals_line(state: HeaderState, width: int) -> TotalsLine:
    """The totals line fitted into ``width`` cells, its two sides at least two spaces apart:
    the data range goes first, then the counts, then the long live marker; tokens, cost and
    a one-cell live marker always stay."""
    parts = totals_parts(state)
    marker = LIVE_MARKERS.get(state.live, "")
    where = f"{state.zone} · {state.data_range}" if state.zone else ""
    if where and state.hidden_sources:
        where += f" · without {', '.join(state.hidden_sources)}"
    rights = [(where, marker), ("", marker), ("", marker[:1])]
    for gap in gaps(width):
        for keep in range(len(parts), min(len(parts), 2) - 1, -1):
            for place, live in rights:
                line = TotalsLine(gap.join(parts[:keep]), place, live, gap)
                right = line.right
                if cell_len(line.totals) + (2 + cell_len(right) if right else 0) <= width:
                    return line
    live = marker[:1]
    room = width - (2 + cell_len(live) if live else 0)
    return TotalsLine(crop("  ".join(parts[:2]), room), "", live, "  ")


def gaps(width: int) -> tuple[str, ...]:
    """Spacing between the totals line's parts, widest first."""
    return ("   ", "  ") if width >= WIDE else ("  ",)


class LevelHeader(Widget):
    """Where you are and what it adds up to."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "level-header--crumb",
        "level-header--dim",
        "level-header--live",
        "level-header--paused",
    }
    DEFAULT_CSS = """
    LevelHeader { height: 2; background: $panel; color: $foreground; padding: 0 1; }
    LevelHeader > .level-header--crumb { color: $crumb; text-style: bold; }
    LevelHeader > .level-header--dim { color: $count; }
    LevelHeader > .level-header--live { color: $live; }
    LevelHeader > .level-header--paused { color: $paused; }
    """

    def __init__(self, *, charset: Charset = "unicode", id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = HeaderState()
        self.charset: Charset = charset

    def update(self, state: HeaderState) -> None:
        self.state = state
        self.refresh()

    def render(self) -> Text:
        state, width = self.state, self.content_region.width
        style = self.get_component_rich_style

        def text(value: str) -> str:
            return for_charset(value, self.charset)

        first = Text(
            text(breadcrumb(state.nodes, width)),
            style=style("level-header--crumb"),
            no_wrap=True,
            end="",
        )
        line = totals_line(state, width)
        second = Text(text(line.totals), no_wrap=True, end="")
        right = Text(no_wrap=True, end="")
        if line.where:
            right.append(text(line.where), style=style("level-header--dim"))
        if line.live:
            live_style = "level-header--paused" if state.live == "paused" else "level-header--live"
            gap = line.gap if line.where else ""
            right.append(gap + text(line.live), style=style(live_style))
        pad = width - second.cell_len - right.cell_len
        if right.plain and pad >= 1:
            second.append(" " * pad)
            second.append_text(right)
        return Text("\n").join([first, second])


class ColumnHeader(Widget):
    """Column titles, laid out exactly like the list's rows (with the sort arrow)."""

    DEFAULT_CSS = """
    ColumnHeader { height: 1; background: $panel; color: $count; text-style: bold; }
    """

    def __init__(
        self, usage_list: UsageList, *, charset: Charset = "unicode", id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.usage_list = usage_list
        self.charset: Charset = charset

    def render(self) -> Text:
        rows = self.usage_list
        listing: Listing = rows.listing
        cells = header_cells(
            rows.row_layout,
            kind=rows.kind,
            measure=listing.measure,
            sort_key=listing.sort.key,
            arrow=listing.sort.arrow,
        )
        line = " " + " ".join(text for _, text in cells)
        return Text(for_charset(line, self.charset), no_wrap=True, end="")
