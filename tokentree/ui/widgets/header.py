"""The two header lines (breadcrumb, totals of the current node, time zone and data range) and
the column titles above the list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from tokentree.model import format as fmt
from tokentree.model.listing import Listing
from tokentree.model.tree import Kind, Node
from tokentree.model.usage import Totals
from tokentree.ui.widgets.columns import header_cells
from tokentree.ui.widgets.usage_list import UsageList

SEPARATOR = " › "


def crumb(node: Node) -> str:
    """A node's breadcrumb text: ids for weeks and days, labels below."""
    return node.id if node.kind in (Kind.WEEK, Kind.DAY) else node.label


def breadcrumb(nodes: tuple[Node, ...], width: int) -> str:
    """``All › 2026-W47 › 2026-11-20 › …``, shortened from the left to fit ``width``."""
    parts = ["All", *(crumb(node) for node in nodes)]
    text = SEPARATOR.join(parts)
    for drop in range(1, len(parts) - 1):
        if cell_len(text) <= width:
            break
        text = SEPARATOR.join(["…", *parts[drop + 1 :]])
    return text


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

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = HeaderState()

    def update(self, state: HeaderState) -> None:
        self.state = state
        self.refresh()

    def render(self) -> Text:
        state, width = self.state, self.content_region.width
        style = self.get_component_rich_style
        crumbs = breadcrumb(state.nodes, width)
        first = Text(crumbs, style=style("level-header--crumb"), no_wrap=True, end="")
        second = Text(no_wrap=True, end="", overflow="ellipsis")
        if state.totals is not None:
            totals = state.totals
            parts = [
                fmt.tokens(totals.total),
                fmt.cost(totals),
                f"cache hit {fmt.ratio(totals.cache_hit)}",
                fmt.plural(totals.calls, "call"),
            ]
            if state.children and state.child_kind is not Kind.CALL:
                parts.append(fmt.plural(state.children, state.child_kind.value))
            second.append("   ".join(parts))
        right = Text(no_wrap=True, end="")
        if state.zone:
            right.append(f"{state.zone} · {state.data_range}", style=style("level-header--dim"))
        marker = LIVE_MARKERS.get(state.live, "")
        if marker:
            marker_style = (
                "level-header--paused" if state.live == "paused" else ("level-header--live")
            )
            right.append(("   " if right.plain else "") + marker, style=style(marker_style))
        pad = width - cell_len(second.plain) - cell_len(right.plain)
        if pad >= 2:
            second.append(" " * pad)
            second.append_text(right)
        return Text("\n").join([first, second])


LIVE_MARKERS = {"on": "● live", "polling": "● live (polling)", "paused": "‖ live paused"}


class ColumnHeader(Widget):
    """Column titles, laid out exactly like the list's rows (with the sort arrow)."""

    DEFAULT_CSS = """
    ColumnHeader { height: 1; background: $panel; color: $count; text-style: bold; }
    """

    def __init__(self, usage_list: UsageList, id: str | None = None) -> None:
        super().__init__(id=id)
        self.usage_list = usage_list

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
        return Text(" " + " ".join(text for _, text in cells), no_wrap=True, end="")
