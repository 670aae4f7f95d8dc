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
_FILTER = (
    "($week IS NULL OR p.week = $week) AND ($day IS NULL OR p.day = $day)"
    " AND ($session IS NULL OR c.session_id = $session)"
    " AND ($turn IS NULL OR t.turn_id = $turn) AND ($call IS NULL OR c.call_id = $call)"
)
_SIDE_JOINS = "JOIN priced p USING (cid) JOIN calls c USING (cid) JOIN call_turns t USING (cid)"

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


def _fingerprint(store: UsageStore) -> tuple[Any, ...]:
    row = (
        store.cursor()
        .execute(
            "SELECT (SELECT count(*) FROM priced),"
            " (SELECT sum(hash(cid, cost_pusd, day)) FROM priced),"
            " (SELECT count(*) FROM calls), (SELECT count(*) FROM prompts),"
            " (SELECT sum(hash(uuid, ts)) FROM prompts),"
            " (SELECT sum(hash(cid, turn_id)) FROM call_turns)"
        )
        .fetchone()
    )
    return tuple(row or ())


def ensure_activity(store: UsageStore, rules: Mapping[str, str] | None = None) -> tuple[Any, ...]:
    """Build (or keep) the attribution tables for the store's current derived tables; returns
    a token that changes whenever they are rebuilt.

    Call after ``store.build(view)`` with turn depth. ``rules`` = ``Settings.activity_rules``.
    """
    key_rules = tuple(sorted((rules or {}).items()))
    with store.lock:
        try:
            fingerprint = (_fingerprint(store), key_rules)
        except Exception as error:
            raise RuntimeError(
                "activity needs the derived tables: call store.build(view) first"
            ) from error
        if _built.get(store) != fingerprint:
            _build(store, Classifier(rules))
            _built[store] = fingerprint
        return fingerprint


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


def _rows(store: UsageStore, kind: Kind, filters: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    keys = level_keys(kind)
    select = ", ".join((*keys, "a.cat", "sum(a.tokens)::BIGINT", "sum(a.cost_pusd)::HUGEINT"))
    group = ", ".join((*keys, "a.cat"))
    query = f"SELECT {select} FROM call_activity a {_SIDE_JOINS} WHERE {_FILTER} GROUP BY {group}"
    params = {name: filters.get(name) for name in _PATH_NAMES}
    return store.cursor().execute(query, params).fetchall()


def _fold(rows: list[tuple[Any, ...]], width: int) -> dict[tuple[Any, ...], Activity]:
    result: dict[tuple[Any, ...], Activity] = {}
    for row in rows:
        key = tuple(row[:width])
        cat, tokens, cost = row[width:]
        result.setdefault(key, {})[CATEGORIES[cat]] = Share(int(tokens), int(cost))
    return {key: _sorted(activity) for key, activity in result.items()}


def _sorted(activity: Activity) -> Activity:
    return {name: activity[name] for name in CATEGORIES if name in activity}


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
    """The activity of every child of the node at ``path``, keyed by the child's id (as the
    level rows give it: a ``date`` for days, strings otherwise)."""
    child = _kind_of(path).child
    if child is None:
        return {}
    ensure_activity(store, rules)
    rows = _rows(store, child, path_filters(path))
    width = len(level_keys(child))
    return {key[-1]: activity_json(value) for key, value in _fold(rows, width).items()}


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
    folded = _fold(rows, len(level_keys(kind)))
    if not as_json:
        return folded
    return {key: activity_json(value) for key, value in folded.items()}


def _kind_of(path: tuple[Any, ...]) -> Kind:
    kinds = (Kind.ROOT, Kind.WEEK, Kind.DAY, Kind.SESSION, Kind.TURN, Kind.CALL)
    if len(path) >= len(kinds):
        raise ValueError(f"path too deep: {path!r}")
    return kinds[len(path)]
