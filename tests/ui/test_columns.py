"""The row layout: what fits at which width, and the row renderer's cells."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rich.cells import cell_len

from tokentree.model.listing import GraphMode, Measure, SortKey, build_listing
from tokentree.model.tree import Kind, Node
from tokentree.model.usage import UNITS_PER_USD, Totals
from tokentree.ui.widgets.columns import (
    MIN_LABEL,
    RowStyles,
    header_cells,
    label_marker,
    layout,
    row_segments,
)


def names(width: int, **kwargs) -> list[str]:
    options = {"graph": GraphMode.BOTH, "activity": True, "kind": Kind.DAY, **kwargs}
    return [c.name for c in layout(width, **options).columns]


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 160, 200, 300])
def test_columns_always_fill_the_width(width: int) -> None:
    columns = layout(width, graph=GraphMode.BOTH, activity=True, kind=Kind.DAY)
    used = 1 + sum(c.width + 1 for c in columns.columns)
    assert used == width or (used > width and columns.columns[0].width == 8)
    assert columns.columns[0].name == "label"


def test_narrow_widths_drop_the_least_important_first() -> None:
    assert names(200) == [
        "label",
        "bar",
        "percent",
        "tokens",
        "cost",
        "hit",
        "activity",
        "children",
    ]
    assert "activity" not in names(80) and "hit" not in names(80)
    assert names(80) == ["label", "bar", "percent", "tokens", "cost", "children"]
    assert layout(80, graph=GraphMode.BOTH, activity=True, kind=Kind.DAY).columns[0].width >= (
        MIN_LABEL
    )
    assert names(60) == ["label", "bar", "tokens", "cost"]  # a side pane keeps the cost
    assert names(50) == ["label", "bar", "tokens", "cost"]
    assert names(40) == ["label", "tokens", "cost"]  # then the bar goes
    assert names(30) == ["label", "cost"]  # the cost goes last of all
    assert "children" not in names(200, kind=Kind.CALL)  # calls have no children


def test_wide_screens_get_wider_bars_and_labels() -> None:
    def width_of(total: int, name: str) -> int:
        columns = layout(total, graph=GraphMode.BAR, activity=False, kind=Kind.DAY).columns
        return {c.name: c.width for c in columns}[name]

    assert width_of(200, "bar") > width_of(120, "bar") > width_of(80, "bar")
    assert width_of(200, "label") > width_of(120, "label")


def test_graph_modes_select_columns() -> None:
    assert "bar" not in names(120, graph=GraphMode.PERCENT)
    assert "percent" not in names(120, graph=GraphMode.BAR)
    assert not {"bar", "percent"} & set(names(120, graph=GraphMode.NONE))


def node(node_id: str, cost_usd: float, unpriced: int = 0, **extra) -> Node:
    totals = Totals(
        100, 50, 800, 50, round(cost_usd * 10**12), 4, unpriced, round(cost_usd * UNITS_PER_USD)
    )
    start = datetime(2026, 11, 20, 9, tzinfo=UTC)
    return Node(
        Kind.SESSION, node_id, f"project · {node_id}", totals, start, start, 3, extra=dict(extra)
    )


def test_row_cells() -> None:
    nodes = [node("a", 1.2, subagents=2), node("b", 0.5, unpriced=1)]
    listing = build_listing(nodes)
    columns = layout(120, graph=GraphMode.BOTH, activity=False, kind=Kind.SESSION)
    first = "".join(
        s.text
        for s in row_segments(
            nodes[0], listing, columns, RowStyles(), bar_style="ascii", cursor=False
        )
    )
    second = "".join(
        s.text
        for s in row_segments(
            nodes[1], listing, columns, RowStyles(), bar_style="unicode", cursor=True
        )
    )
    assert cell_len(first) == cell_len(second) == 120
    assert "project · a" in first and "+2 agents" in first
    assert "#" * 5 in first and " 50.0%" in first and "$1.20" in first and " 84%" in first
    assert "$0.50+?" in second and "█" in second


def test_labels_are_cut_with_an_ellipsis() -> None:
    long = node("x" * 200, 1.0)
    listing = build_listing([long])
    columns = layout(80, graph=GraphMode.BOTH, activity=False, kind=Kind.SESSION)
    text = "".join(
        s.text
        for s in row_segments(
            long, listing, columns, RowStyles(), bar_style="unicode", cursor=False
        )
    )
    assert "x…" in text and cell_len(text) == 80


def test_markers_and_header() -> None:
    assert label_marker(node("s", 1, subagents=1)) == "+1 agent"
    turn = Node(Kind.TURN, "t", "t", Totals(), extra={"subagent_calls": 3})
    call = Node(Kind.CALL, "c", "c", Totals(), extra={"sidechain": True})
    assert label_marker(turn) == "+agents" and label_marker(call) == "agent"
    assert label_marker(node("s", 1, subagents=12), short=True) == "+12a"
    columns = layout(120, graph=GraphMode.BOTH, activity=True, kind=Kind.DAY)
    cells = dict(
        header_cells(
            columns, kind=Kind.DAY, measure=Measure.OUTPUT, sort_key=SortKey.TOKENS, arrow="▼"
        )
    )
    assert cells["tokens"].strip() == "▼output" and cells["label"].startswith("days")
    assert cells["children"].strip() == "sess"


def test_human_bytes() -> None:
    from tokentree.ui.widgets.status import human_bytes

    assert [human_bytes(n) for n in (512, 12_345, 340_000_000, 999_501_212, 2_500_000_000)] == [
        "512 B",
        "12.3 kB",
        "340 MB",
        "1.0 GB",
        "2.5 GB",
    ]
