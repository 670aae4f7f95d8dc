"""Sorting (ncdu's toggle rule), filtering, shares and scales of one level."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tokentree.model.listing import GraphMode, Measure, SortKey, SortSpec, build_listing
from tokentree.model.tree import Kind, Node
from tokentree.model.usage import Totals

T0 = datetime(2026, 11, 20, 9, tzinfo=UTC)


def node(
    node_id: str, *, total: int, cost: int, output: int, hit: float, children: int, minute: int
) -> Node:
    cache_read = round(hit * 1000)
    inp = 1000 - cache_read
    rest = total - output - 1000
    totals = Totals(inp, output, cache_read, rest, cost, calls=1)
    start = T0 + timedelta(minutes=minute)
    return Node(Kind.DAY, node_id, f"label {node_id}", totals, start, start, children)


NODES = [
    node("a", total=5000, cost=30, output=100, hit=0.5, children=2, minute=0),
    node("b", total=9000, cost=10, output=300, hit=0.9, children=7, minute=10),
    node("c", total=2000, cost=50, output=200, hit=0.1, children=1, minute=5),
]


def ids(listing) -> list[str]:
    return [n.id for n in listing.rows]


@pytest.mark.parametrize(
    ("key", "natural", "reversed_"),
    [
        (SortKey.TOKENS, ["b", "a", "c"], ["c", "a", "b"]),
        (SortKey.COST, ["c", "a", "b"], ["b", "a", "c"]),
        (SortKey.TIME, ["a", "c", "b"], ["b", "c", "a"]),
        (SortKey.CHILDREN, ["b", "a", "c"], ["c", "a", "b"]),
        (SortKey.CACHE_HIT, ["b", "a", "c"], ["c", "a", "b"]),
    ],
)
def test_every_sort_key_and_its_reversal(key, natural, reversed_) -> None:
    other = SortKey.TIME if key is not SortKey.TIME else SortKey.TOKENS
    first = SortSpec(other, True).toggle(key)
    assert ids(build_listing(NODES, sort=first)) == natural
    second = first.toggle(key)
    assert second.descending is not first.descending
    assert ids(build_listing(NODES, sort=second)) == reversed_
    assert second.toggle(key) == first


def test_toggle_rule_natural_orders() -> None:
    spec = SortSpec(SortKey.TOKENS, descending=False)
    assert spec.toggle(SortKey.COST) == SortSpec(SortKey.COST, True)
    assert spec.toggle(SortKey.TIME) == SortSpec(SortKey.TIME, False)
    assert spec.toggle(SortKey.TOKENS) == SortSpec(SortKey.TOKENS, True)


def test_ties_keep_chronological_order() -> None:
    same = [
        node(x, total=10, cost=1, output=1, hit=0, children=0, minute=i)
        for i, x in enumerate("pqr")
    ]
    assert ids(build_listing(same, sort=SortSpec(SortKey.TOKENS, True))) == ["p", "q", "r"]
    assert ids(build_listing(same, sort=SortSpec(SortKey.TOKENS, False))) == ["p", "q", "r"]


def test_size_sort_follows_the_measured_quantity() -> None:
    listing = build_listing(NODES, measure=Measure.OUTPUT, sort=SortSpec(SortKey.TOKENS, True))
    assert ids(listing) == ["b", "c", "a"]  # by output: 300, 200, 100
    listing = build_listing(NODES, measure=Measure.COST, sort=SortSpec(SortKey.TOKENS, True))
    assert ids(listing) == ["c", "a", "b"]  # measuring cost, the size sort is by cost


def test_share_and_scale() -> None:
    listing = build_listing(NODES)
    b = listing.rows[0]
    assert listing.total == 16000
    assert listing.largest == 9000
    assert listing.share(b) == pytest.approx(9000 / 16000)
    assert listing.scale(b) == 1.0
    parent = Totals(32000, 0, 0, 0)
    assert build_listing(NODES, parent=parent).share(b) == pytest.approx(9000 / 32000)
    cost = build_listing(NODES, measure=Measure.COST)
    by_id = {n.id: n for n in cost.rows}
    assert cost.largest == 50 and cost.share(by_id["b"]) == pytest.approx(10 / 90)
    assert cost.rows[0].id == "c" and cost.scale(cost.rows[0]) == 1.0  # sorted by cost


def test_empty_level() -> None:
    listing = build_listing([])
    assert len(listing) == 0 and listing.total == 0
    assert listing.index_of("x") is None


def test_filter_is_case_insensitive_and_keeps_scale() -> None:
    listing = build_listing(NODES, filter_text="  LABEL B ")
    assert ids(listing) == ["b"]
    assert listing.hidden == 2
    assert listing.largest == 9000
    assert ids(build_listing(NODES, filter_text="c")) == ["c"]  # matches the id too


def test_index_of_by_key() -> None:
    listing = build_listing(NODES, sort=SortSpec(SortKey.TIME, False))
    assert listing.index_of("b") == 2
    assert listing.index_of(None) is None


def test_cycles() -> None:
    assert [
        m.value
        for m in (
            Measure.TOTAL,
            Measure.TOTAL.next(),
            Measure.COST.next(),
            Measure.OUTPUT.next(),
            Measure.INPUT.next(),
        )
    ] == ["total", "cost", "output", "input", "total"]
    assert GraphMode.BAR.next() is GraphMode.PERCENT
    assert GraphMode.NONE.next() is GraphMode.BAR
    assert GraphMode.BOTH.shows_bar and GraphMode.BOTH.shows_percent
    assert not GraphMode.NONE.shows_bar and not GraphMode.NONE.shows_percent
