"""The path stack, remembered cursors and the bounded level cache."""

from __future__ import annotations

from datetime import date

import pytest

from tokentree.model.navigation import (
    Bounded,
    LevelCache,
    Navigator,
    can_open,
    child_kind,
    query_filters,
)
from tokentree.model.tree import Kind, Node
from tokentree.model.usage import Totals


def node(kind: Kind, node_id: str, children: int = 1) -> Node:
    return Node(kind, node_id, node_id, Totals(), child_count=children)


def test_descend_and_ascend_return_to_the_child_we_came_from() -> None:
    nav = Navigator()
    assert nav.path == () and nav.kind is Kind.WEEK and nav.current is None
    nav.remember("2026-W46")
    nav.descend(node(Kind.WEEK, "2026-W47"))
    assert nav.path == ("2026-W47",) and nav.kind is Kind.DAY
    nav.remember("2026-11-18")
    nav.descend(node(Kind.DAY, "2026-11-20"))
    assert nav.kind is Kind.SESSION and nav.depth == 2
    assert nav.ascend() == "2026-11-20"
    assert nav.recall() == "2026-11-20"  # the day we left, not the earlier selection
    assert nav.ascend() == "2026-W47"
    assert nav.recall() == "2026-W47"
    assert nav.ascend() is None


def test_remembered_cursor_per_path() -> None:
    nav = Navigator()
    nav.descend(node(Kind.WEEK, "w1"))
    nav.remember("d3")
    nav.ascend()
    nav.descend(node(Kind.WEEK, "w2"))
    assert nav.recall() is None
    assert nav.recall(("w1",)) == "d3"


def test_goto_replaces_the_stack() -> None:
    nav = Navigator()
    nav.goto([node(Kind.WEEK, "w"), node(Kind.DAY, "2026-11-20")])
    assert nav.path == ("w", "2026-11-20")
    assert nav.nodes[0].id == "w"


def test_query_filters_and_kinds() -> None:
    assert query_filters(()) == {}
    assert query_filters(("2026-W47", "2026-11-20", "s1")) == {
        "week": "2026-W47",
        "day": date(2026, 11, 20),
        "session": "s1",
    }
    assert child_kind(("w", "d", "s", "t")) is Kind.CALL
    assert can_open(node(Kind.TURN, "t", 3))
    assert not can_open(node(Kind.CALL, "c", 0))
    assert not can_open(node(Kind.DAY, "d", 0))


def test_bounded_evicts_least_recently_used() -> None:
    cache: Bounded[int] = Bounded(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert "b" not in cache and "a" in cache and len(cache) == 2


def test_level_cache_is_bounded_and_versioned() -> None:
    cache = LevelCache(capacity=3)
    for index in range(10):
        cache.put((str(index),), 1, [node(Kind.DAY, str(index))])
    assert len(cache) == 3
    assert cache.get(("9",), 1) is not None
    assert cache.get(("9",), 2) is None  # stale after a data change
    assert cache.get(("0",), 1) is None
    cache.clear()
    assert len(cache) == 0


def test_one_path_to_filters_for_every_query() -> None:
    from tokentree.model.node_path import path_filters, path_ids

    path = ("2026-W47", "2026-11-20", "s1", "t1", "c1")
    assert path_ids(path) == ("2026-W47", date(2026, 11, 20), "s1", "t1", "c1")
    assert path_ids(("2026-W47", date(2026, 11, 20))) == ("2026-W47", date(2026, 11, 20))
    assert path_filters(path[:2]) == {"week": "2026-W47", "day": date(2026, 11, 20)}
    assert path_filters(path[:1], every=True) == {
        "week": "2026-W47",
        "day": None,
        "session": None,
        "turn": None,
        "call": None,
    }
    with pytest.raises(ValueError, match="too deep"):
        path_ids((*path, "more"))
    with pytest.raises(ValueError):
        path_ids(("2026-W47", "not a day"))
