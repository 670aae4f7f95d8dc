"""Estimated activity attribution in DuckDB (rule: docs/attribution.md).

After ``store.build(view)`` (turn depth), :func:`ensure_activity` classifies the distinct tool
names and shell command lines once in Python (:class:`~tokentree.model.activity.Classifier`),
loads that mapping as ``activity_map`` and runs ``sql/activity.sql``, which builds:

* ``call_flow``  — each call's thread, predecessor, own and consumed tool categories;
* ``call_cost_parts`` — each call's exact cost split by token kind (pUSD);
* ``call_activity(cid, cat, side, tokens, cost_pusd)`` — the split, one row per call,
  category index (:data:`~tokentree.model.activity.CATEGORIES`) and side (0 cache reads,
  1 output, 2 uncached input + cache writes).

The tables are rebuilt only when the derived tables or the rules change (a cheap fingerprint
of ``priced`` and ``prompts``). Node lookups filter like ``sql/level_*.sql``.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from tokentree.data.sqlfiles import statements
from tokentree.model.activity import (
    CATEGORIES,
    ORDER,
    SHELL_TOOLS,
    Activity,
    Classifier,
    Share,
    activity_json,
)
from tokentree.model.tree import Kind

if TYPE_CHECKING:
    from tokentree.data.store import UsageStore

__all__ = [
    "activity_for_children",
    "activity_for_level",
    "activity_for_node",
    "activity_json",
    "ensure_activity",
    "level_keys",
]

_LEVEL_KEYS: dict[Kind, tuple[str, ...]] = {
    Kind.ROOT: (),
    Kind.WEEK: ("p.week",),
    Kind.DAY: ("p.week", "p.day"),
    Kind.SESSION: ("p.week", "p.day", "c.session_id"),
    Kind.TURN: ("p.week", "p.day", "c.session_id", "t.turn_id"),
    Kind.CALL: ("p.week", "p.day", "c.session_id", "t.turn_id", "c.call_id"),
}
_PATH_NAMES = ("week", "day", "session", "turn", "call")
UNITS_PER_USD = 2**30

_built: weakref.WeakKeyDictionary[Any, tuple[Any, ...]] = weakref.WeakKeyDictionary()


def level_keys(kind: Kind) -> tuple[str, ...]:
    """SQL expressions of a level's key columns (aliases p = priced, c = calls, t = call_turns);
    their values form the same key tuples as an export's ``(*parent ids, own id)``."""
    return _LEVEL_KEYS[kind]


def path_filters(path: tuple[str, ...] | tuple[Any, ...]) -> dict[str, Any]:
    """``{"week", "day", "session", "turn", "call"}`` parameters for a node's id path."""
    if len(path) > len(_PATH_NAMES):
        raise ValueError(f"path too deep: {path!r}")
    filters: dict[str, Any] = dict.fromkeys(_PATH_NAMES)
    for name, value in zip(_PATH_NAMES, path, strict=False):
        filters[name] = (
            date.fromisoformat(value) if name == "day" and isinstance(value, str) else value
        )
    return filters


def _key(store: UsageStore, rules: Mapping[str, str] | None) -> tuple[Any, ...]:
    return (store.activity_version, tuple(sorted((rules or {}).items())))


def ensure_activity(store: UsageStore, rules: Mapping[str, str] | None = None) -> tuple[Any, ...]:
    """Build (or keep) the attribution tables for the store's current derived tables; returns
    a token that changes whenever they are rebuilt.

    Call after ``store.build(view)`` with turn depth. ``rules`` = ``Settings.activity_rules``.
    """
    with store.lock:
        key = _key(store, rules)
        if _built.get(store) != key:
            _build(store, Classifier(rules))
            _built[store] = key
        return key


def adopt_activity(store: UsageStore, rules: Mapping[str, str] | None = None) -> None:
    """Declare ``call_activity`` current for the store's data (it was restored from the
    persisted cache, computed from the same calls, prices and rules)."""
    with store.lock:
        _built[store] = _key(store, rules)


def activity_is_current(store: UsageStore, rules: Mapping[str, str] | None = None) -> bool:
    return _built.get(store) == _key(store, rules)


def _build(store: UsageStore, classifier: Classifier) -> None:
    cursor = store.cursor()
    shell = ", ".join(f"'{name}'" for name in sorted(SHELL_TOOLS))  # code constants
    pairs = cursor.execute(
        "SELECT DISTINCT coalesce(t.name, ''),"
        f" CASE WHEN t.name IN ({shell}) THEN coalesce(t.detail, '') ELSE '' END"
        " FROM (SELECT unnest(tools) AS t FROM calls WHERE len(tools) > 0)"
    ).fetchall()
    names = [name for name, _ in pairs]
    details = [detail for _, detail in pairs]
    cats = [ORDER[classifier.tool(name, detail or None)] for name, detail in pairs]
    cursor.execute(
        "CREATE OR REPLACE TABLE activity_map AS"
        " SELECT unnest(?::VARCHAR[]) AS name, unnest(?::VARCHAR[]) AS detail,"
        " unnest(?::UTINYINT[]) AS cat",
        [names, details, cats],
    )
    substitutions = {
        "shell_tools": shell,
        "conversation": ORDER["conversation"],
        "context": ORDER["context"],
        "delegating": ORDER["delegating"],
        "reading": ORDER["reading"],
    }
    for statement in statements("activity", **substitutions):
        cursor.execute(statement)


def _depth(kind: Kind, filters: Mapping[str, Any]) -> int:
    """How deep a query reaches: the level's own depth or the deepest filter given."""
    deepest = max((i + 1 for i, name in enumerate(_PATH_NAMES) if filters.get(name)), default=0)
    return max(kind.depth, deepest)


def _joins(kind: Kind, filters: Mapping[str, Any]) -> str:
    """Only the tables the level's keys and the filters need: a day-level query must not
    require the turn tables."""
    depth = _depth(kind, filters)
    joins = "JOIN priced p USING (cid)"
    if depth >= Kind.SESSION.depth:
        joins += " JOIN calls c USING (cid)"
    if depth >= Kind.TURN.depth:
        joins += " JOIN call_turns t USING (cid)"
    return joins


def _filter(kind: Kind, filters: Mapping[str, Any]) -> str:
    depth = _depth(kind, filters)
    parts = ["($week IS NULL OR p.week = $week)", "($day IS NULL OR p.day = $day)"]
    if depth >= Kind.SESSION.depth:
        parts.append("($session IS NULL OR c.session_id = $session)")
    if depth >= Kind.TURN.depth:
        parts.append("($turn IS NULL OR t.turn_id = $turn)")
    if depth >= Kind.CALL.depth:
        parts.append("($call IS NULL OR c.call_id = $call)")
    return " AND ".join(parts)


def _rows(store: UsageStore, kind: Kind, filters: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """One row per node: its keys, then parallel lists of category index (ascending, i.e. in
    CATEGORIES order), tokens, exact cost (pUSD) and exported cost (2^-30 USD units)."""
    keys = level_keys(kind)
    names = [f"k{i}" for i in range(len(keys))]
    inner = ", ".join(
        [f"{key} AS {name}" for key, name in zip(keys, names, strict=True)]
        + [
            "a.cat",
            "sum(a.tokens)::BIGINT AS tokens",
            "sum(a.cost_pusd)::HUGEINT AS cost",
            "sum(a.cost_units)::BIGINT AS units",
        ]
    )
    group = ", ".join((*names, "cat"))
    outer = ", ".join(
        (
            *names,
            "list(cat ORDER BY cat)",
            "list(tokens ORDER BY cat)",
            "list(cost ORDER BY cat)",
            "list(units ORDER BY cat)",
        )
    )
    query = (
        f"SELECT {outer} FROM (SELECT {inner} FROM call_activity a {_joins(kind, filters)}"
        f" WHERE {_filter(kind, filters)} GROUP BY {group})"
        + (f" GROUP BY {', '.join(names)} ORDER BY {', '.join(names)}" if names else "")
    )
    params = {name: filters.get(name) for name in _PATH_NAMES if f"${name}" in query}
    return store.cursor().execute(query, params).fetchall()


def _fold(rows: list[tuple[Any, ...]], width: int) -> dict[tuple[Any, ...], Activity]:
    names = CATEGORIES
    return {
        tuple(row[:width]): {
            names[cat]: Share(tokens, int(cost))
            for cat, tokens, cost, _ in zip(*row[width:], strict=True)
        }
        for row in rows
        if row[width]
    }


def _json(rows: list[tuple[Any, ...]], width: int) -> dict[tuple[Any, ...], dict[str, Any]]:
    names = CATEGORIES
    return {
        tuple(row[:width]): {
            names[cat]: {"tokens": tokens, "cost_usd": units / UNITS_PER_USD}
            for cat, tokens, _, units in zip(*row[width:], strict=True)
        }
        for row in rows
        if row[width]
    }


def activity_shares(
    store: UsageStore, path: tuple[Any, ...] = (), *, rules: Mapping[str, str] | None = None
) -> Activity:
    """The exact split (pUSD) of one node given its id path (``()`` = the whole range)."""
    ensure_activity(store, rules)
    _kind_of(path)  # validates the depth
    rows = _rows(store, Kind.ROOT, path_filters(path))
    return _fold(rows, 0).get((), {})


def activity_for_node(
    store: UsageStore, path: tuple[Any, ...] = (), *, rules: Mapping[str, str] | None = None
) -> dict[str, dict[str, int | float]]:
    """``node.extra["activity"]`` of the node at ``path`` (week, day, session, turn, call ids;
    ``()`` = the whole range): ``{category: {"tokens", "cost_usd"}}``."""
    return activity_json(activity_shares(store, path, rules=rules))


def activity_for_children(
    store: UsageStore, path: tuple[Any, ...] = (), *, rules: Mapping[str, str] | None = None
) -> dict[Any, dict[str, dict[str, int | float]]]:
    """The activity of every child of the node at ``path``, keyed by the child's id as a
    string (``Node.id``: ISO dates for days). One query, for the explorer's column."""
    child = _kind_of(path).child
    if child is None:
        return {}
    ensure_activity(store, rules)
    rows = _rows(store, child, path_filters(path))
    width = len(level_keys(child))
    return {str(key[-1]): value for key, value in _json(rows, width).items()}


def activity_for_level(
    store: UsageStore,
    kind: Kind,
    path: tuple[Any, ...] = (),
    *,
    rules: Mapping[str, str] | None = None,
    as_json: bool = True,
) -> dict[tuple[Any, ...], Any]:
    """Every node of level ``kind`` under ``path`` (``()`` = all), keyed like an export's
    nodes: ``(week, day, session, turn, call_id)`` truncated to the level (days as ``date``).
    One query; ~150k calls take a fraction of a second. ``as_json=False`` gives the exact
    :class:`~tokentree.model.activity.Share` values."""
    ensure_activity(store, rules)
    rows = _rows(store, kind, path_filters(path))
    width = len(level_keys(kind))
    return _json(rows, width) if as_json else _fold(rows, width)


def _kind_of(path: tuple[Any, ...]) -> Kind:
    kinds = (Kind.ROOT, Kind.WEEK, Kind.DAY, Kind.SESSION, Kind.TURN, Kind.CALL)
    if len(path) >= len(kinds):
        raise ValueError(f"path too deep: {path!r}")
    return kinds[len(path)]


def discard_activity(store: UsageStore) -> None:
    """Forget that ``call_activity`` is current (the next :func:`ensure_activity` rebuilds)."""
    with store.lock:
        _built.pop(store, None)
