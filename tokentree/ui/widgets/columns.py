"""The row layout shared by the column header and the usage list, and the row renderer.

:func:`layout` decides which columns fit a width (dropping the least important first, so
80×24 stays readable and 200 columns get wider bars and labels); :func:`row_segments` turns
one node into styled segments for the Line API. No widget state here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style

from tokentree.model import format as fmt
from tokentree.model.listing import GraphMode, Listing, Measure, SortKey
from tokentree.model.tree import Kind, Node
from tokentree.ui.cells import fit
from tokentree.ui.themes import ACTIVITIES

MIN_LABEL = 32
"""Narrowest label before columns are dropped, from 80 columns up."""
MIN_LABEL_NARROW = 16
"""Narrowest label in a side pane (below 80 columns the floor is two fifths of the width)."""
SHORT_MARKER_BELOW = 48
"""Labels narrower than this get the short subagent marker (``+2a``)."""
MAX_LABEL = 90
"""Beyond this, extra width goes to the bar."""
MIN_BAR = 4
GAP = 1

WIDTHS = {"percent": 6, "tokens": 7, "cost": 10, "hit": 4, "activity": 12, "children": 6}
MONEY_WIDTH = WIDTHS["cost"]
"""The size column's width while it shows cost."""
DROP_ORDER = ("activity", "hit", "children", "percent", "bar", "tokens", "cost")
"""Columns given up, in this order, when the label would get narrower than its floor: the
label, then cost, then tokens, then the bar are what a side pane keeps. The bar shrinks to
MIN_BAR cells before it goes; in percent-only mode the percentage takes the bar's place."""

KIND_PLURAL = {
    Kind.WEEK: "weeks",
    Kind.DAY: "days",
    Kind.SESSION: "sessions",
    Kind.TURN: "turns",
    Kind.CALL: "calls",
}


SIZE_TITLES = {
    Measure.TOTAL: "tokens",
    Measure.COST: "cost",
    Measure.OUTPUT: "output",
    Measure.INPUT: "input",
}
"""Titles of the size column for each measure."""

CHILD_TITLES = {Kind.WEEK: "days", Kind.DAY: "sess", Kind.SESSION: "turns", Kind.TURN: "calls"}
"""Titles of the children column (what the rows of each kind contain), at most 6 cells."""


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    width: int


@dataclass(frozen=True, slots=True)
class Layout:
    width: int
    columns: tuple[Column, ...]

    def has(self, name: str) -> bool:
        return any(column.name == name for column in self.columns)


def min_label(width: int) -> int:
    """The label's floor for a list ``width`` cells wide."""
    return MIN_LABEL if width >= 80 else max(MIN_LABEL_NARROW, width * 2 // 5)


def layout(
    width: int, *, graph: GraphMode, activity: bool, kind: Kind, measure: Measure = Measure.TOTAL
) -> Layout:
    """Columns for a list ``width`` cells wide (label first, then the numbers).

    The ``tokens`` column is the size column: it shows the measured quantity, so while
    measuring cost it shows the cost and the separate cost column is left out.
    """
    names = []
    if graph.shows_bar:
        names.append("bar")
    if graph.shows_percent:
        names.append("percent")
    names.append("tokens")
    if not measure.is_money:
        names.append("cost")
    names.append("hit")
    if activity:
        names.append("activity")
    if kind is not Kind.CALL:
        names.append("children")
    bar = max(8, min(30, width // 7))
    widths = dict(WIDTHS, bar=bar, activity=max(8, min(16, width // 12)))
    if measure.is_money:
        widths["tokens"] = MONEY_WIDTH
    floor = min_label(width)

    def label_width(cols: list[str]) -> int:
        """What is left for the label: a leading space, then every column and its gap."""
        return width - 1 - GAP - sum(widths[c] + GAP for c in cols)

    graph_column = "bar" if "bar" in names else "percent"
    for victim in DROP_ORDER:
        if label_width(names) >= floor:
            break
        if victim == "percent" and graph_column == "percent":
            continue  # the only graph left: it goes with the bar
        if victim == "bar":
            while graph_column == "bar" and label_width(names) < floor and widths["bar"] > MIN_BAR:
                widths["bar"] -= 1
            if label_width(names) >= floor:
                break
            victim = graph_column
        if victim in names:
            names.remove(victim)
    label = label_width(names)
    if label > MAX_LABEL and "bar" in names:
        widths["bar"] = max(widths["bar"], min(40, widths["bar"] + label - MAX_LABEL))
        label = label_width(names)
    label = max(8, label)
    columns = [Column("label", label)] + [Column(n, widths[n]) for n in names]
    return Layout(width, tuple(columns))


@dataclass(slots=True)
class RowStyles:
    """Rich styles read from the list's component classes (refreshed on theme change)."""

    base: Style = field(default_factory=Style)
    cursor: Style = field(default_factory=Style)
    bar: Style = field(default_factory=Style)
    bar_empty: Style = field(default_factory=Style)
    percent: Style = field(default_factory=Style)
    tokens: Style = field(default_factory=Style)
    cost: Style = field(default_factory=Style)
    unpriced: Style = field(default_factory=Style)
    hit: Style = field(default_factory=Style)
    count: Style = field(default_factory=Style)
    source: Style = field(default_factory=Style)
    activity: dict[str, Style] = field(default_factory=dict)


def label_marker(node: Node, short: bool = False) -> str:
    """The marker after a label: subagents, ``+2 agents`` (session), ``+agents`` (turn),
    ``agent`` (a subagent's call); ``+2a``, ``+a``, ``a`` when ``short``; and ``archived``
    (``ar``) on a session whose log files are gone."""
    extra = node.extra
    if node.kind is Kind.SESSION:
        parts = []
        if extra.get("subagents"):
            count = int(extra["subagents"])
            parts.append(f"+{count}a" if short else f"+{count} agent{'s' if count != 1 else ''}")
        if extra.get("archived"):
            parts.append("ar" if short else "archived")
        return " ".join(parts)
    if node.kind is Kind.TURN and extra.get("subagent_calls"):
        return "+a" if short else "+agents"
    if node.kind is Kind.CALL and extra.get("sidechain"):
        return "a" if short else "agent"
    return ""


def _activity_cells(node: Node, width: int, bar_style: str) -> list[tuple[str, str]]:
    """(category, glyphs) pieces of the stacked activity bar."""
    activity = node.extra.get("activity") or {}
    parts = [(name, float(activity.get(name, {}).get("tokens", 0))) for name in ACTIVITIES]
    glyph = "█" if bar_style == "unicode" else None
    return [(name, (glyph or name[0]) * cells) for name, cells in fmt.stacked(parts, width)]


def row_segments(
    node: Node,
    listing: Listing,
    columns: Layout,
    styles: RowStyles,
    *,
    bar_style: str,
    cursor: bool,
) -> list[Segment]:
    """One list row: a leading space, then each column separated by a gap."""
    over = styles.cursor if cursor else None
    under = Style(bgcolor=styles.cursor.bgcolor) if cursor else None

    def seg(text: str, style: Style, keep_colour: bool = False) -> Segment:
        """A segment; on the cursor row the cursor style wins (its background only when
        ``keep_colour``, so activity colours stay readable)."""
        if over is None:
            return Segment(text, styles.base + style)
        return Segment(text, styles.base + style + (under if keep_colour else over))

    totals = node.totals
    out = [seg(" ", Style())]
    for column in columns.columns:
        name, width = column.name, column.width
        if name == "label":
            source = node.extra.get("marker") if node.kind is Kind.SESSION else None
            if source and width > 12:
                out.append(seg(f"{source:<2} ", styles.source))
                width -= 3
            marker = label_marker(node, short=width < SHORT_MARKER_BELOW)
            if marker and width > len(marker) + 8:
                out.append(seg(fit(node.label, width - len(marker) - 1) + " ", Style()))
                out.append(seg(marker, styles.count))
            else:
                out.append(seg(fit(node.label, width), Style()))
        elif name == "bar":
            filled = fmt.bar(listing.scale(node), width, bar_style)
            fill_style = styles.bar if not cursor else Style()
            out.append(seg(filled, fill_style))
            rest = width - len(filled)
            if rest:
                out.append(seg(" " * rest, styles.bar_empty if not cursor else Style()))
        elif name == "percent":
            out.append(seg(fit(fmt.percent(listing.share(node)), width, True), styles.percent))
        elif name == "tokens" and listing.measure.is_money:
            style = styles.unpriced if totals.unpriced_calls else styles.cost
            out.append(seg(fit(fmt.cost(totals), width, True), style))
        elif name == "tokens":
            value = totals.metric(listing.measure.value)
            out.append(seg(fit(fmt.human_count(value), width, True), styles.tokens))
        elif name == "cost":
            style = styles.unpriced if totals.unpriced_calls else styles.cost
            out.append(seg(fit(fmt.cost(totals), width, True), style))
        elif name == "hit":
            out.append(seg(fit(fmt.ratio(totals.cache_hit), width, True), styles.hit))
        elif name == "activity":
            used = 0
            for category, glyphs in _activity_cells(node, width, bar_style):
                out.append(seg(glyphs, styles.activity.get(category, Style()), True))
                used += len(glyphs)
            if used < width:
                out.append(seg(" " * (width - used), Style()))
        elif name == "children":
            text = fmt.human_count(node.child_count) if node.child_count else ""
            out.append(seg(fit(text, width, True), styles.count))
        out.append(seg(" " * GAP, Style()))
    used = sum(cell_len(s.text) for s in out)
    if used < columns.width:
        out.append(seg(" " * (columns.width - used), Style()))
    return out


def header_cells(
    columns: Layout, *, kind: Kind, measure: Measure, sort_key: SortKey, arrow: str
) -> list[tuple[str, str]]:
    """(column name, title text) of the column header, with the sort arrow on the sorted one."""
    sorted_column = {
        SortKey.TOKENS: "tokens",
        SortKey.COST: "cost" if columns.has("cost") else "tokens",
        SortKey.TIME: "label",
        SortKey.CHILDREN: "children",
        SortKey.CACHE_HIT: "hit",
    }[sort_key]
    titles = {
        "label": KIND_PLURAL.get(kind, "items") + (" by time" if sort_key is SortKey.TIME else ""),
        "bar": "",
        "percent": "%",
        "tokens": SIZE_TITLES[measure],
        "cost": "cost",
        "hit": "hit",
        "activity": "activity",
        "children": CHILD_TITLES.get(kind, ""),
    }
    cells = []
    for column in columns.columns:
        title = titles[column.name]
        if column.name == sorted_column:
            title = f"{title} {arrow}" if column.name == "label" else f"{arrow}{title}"
        right = column.name not in ("label", "bar", "activity")
        cells.append((column.name, fit(title, column.width, right)))
    return cells
