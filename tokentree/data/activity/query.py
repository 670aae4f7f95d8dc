"""Estimated activity attribution in DuckDB (rule: docs/attribution.md): when to (re)build it
and how nodes read it.

:func:`ensure_activity` has the store's derived tables (:mod:`tokentree.data.store.derived`) build,
keep or update them (:mod:`tokentree.data.activity.build`):

* ``call_flow`` — each call's thread, predecessor, place and context resets;
* ``call_cost_parts`` — each call's exact cost split by token kind (pUSD);
* ``call_tools`` — the categories of each call's tool uses (a bit set);
* ``call_activity(cid, cat, side, tokens, cost_pusd, cost_units)`` — the split, one row per
  call, category index (:data:`~tokentree.model.activity.CATEGORIES`) and side (0 cache reads,
  1 output, 2 uncached input + cache writes).

They are rebuilt when the rules, the prices or the date range change, and after a change of
some files only for the sessions it touched. Node lookups filter like ``sql/level_*.sql``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from tokentree.data.sqlfiles import sql
from tokentree.model import node_path
from tokentree.model.activity import CATEGORIES, Activity, Share, activity_json
from tokentree.model.tree import Kind
from tokentree.model.usage import UNITS_PER_USD

if TYPE_CHECKING:
    import duckdb

    from tokentree.data.store.store import UsageStore

__all__ = [
    "activity_for_children",
    "activity_for_level",
    "activity_for_node",
    "activity_for_session",
    "activity_for_turns",
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


def level_keys(kind: Kind) -> tuple[str, ...]:
    """SQL expressions of a level's key columns (aliases p = priced, c = calls, t = call_turns);
    their values form the same key tuples as an export's ``(*parent ids, own id)``."""
    return _LEVEL_KEYS[kind]


def ensure_activity(store: UsageStore, rules: Mapping[str, str] | None = None) -> tuple[Any, ...]:
    """Build (or keep, or update for what changed) the attribution tables for the store's
    current data and view; returns a token that changes whenever they change.
    ``rules`` = ``Settings.activity_rules``."""
    return store.derived.ensure_activity(rules)


def activity_is_current(store: UsageStore, rules: Mapping[str, str] | None = None) -> bool:
    return store.derived.activity_current(rules)


def _depth(kind: Kind, filters: Mapping[str, Any]) -> int:
    """How deep a query reaches: the level's own depth or the deepest filter given."""
    deepest = max(
        (i + 1 for i, name in enumerate(node_path.PATH_NAMES) if filters.get(name)), default=0
    )
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
    """The node's scope (``in_node``, data/store/scope.sql) over the tables :func:`_joins`
    gives this depth; a level the query does not reach is NULL."""
    depth = _depth(kind, filters)
    columns = ["p.week", "p.day", "c.session_id", "t.turn_id", "c.call_id"]
    params = [f"${name}" for name in node_path.PATH_NAMES]
    for level in range(depth, len(columns)):
        columns[level] = params[level] = "NULL"
    return f"in_node({', '.join(columns)}, {', '.join(params)})"


def _rows(store: UsageStore, kind: Kind, filters: Mapping[str, Any]) -> list[tuple[Any, ...]]:
    """One row per node: its keys, then parallel lists of category index (ascending, i.e. in
    CATEGORIES order), tokens, exact cost (pUSD) and exported cost (2^-30 USD units)."""
    keys = level_keys(kind)
    names = [f"k{i}" for i in range(len(keys))]
    listed = "".join(f"{name}, " for name in names)
    query = sql(
        "node_activity",
        package=__package__,
        names=listed,
        keys="".join(f"{key} AS {name}, " for key, name in zip(keys, names, strict=True)),
        joins=_joins(kind, filters),
        scope=_filter(kind, filters),
        outer_group=f"GROUP BY {listed[:-2]} ORDER BY {listed[:-2]}" if names else "",
    )
    params = {name: filters.get(name) for name in node_path.PATH_NAMES if f"${name}" in query}
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
    rows = _rows(store, Kind.ROOT, node_path.path_filters(path, every=True))
    return _fold(rows, 0).get((), {})


def activity_for_node(
    store: UsageStore, path: tuple[Any, ...] = (), *, rules: Mapping[str, str] | None = None
) -> dict[str, dict[str, int | float]]:
    """``node.extra["activity"]`` of the node at ``path`` (week, day, session, turn, call ids;
    ``()`` = the whole range): ``{category: {"tokens", "cost_usd"}}``."""
    return activity_json(activity_shares(store, path, rules=rules))


def activity_for_session(
    store: UsageStore, session_id: str, *, rules: Mapping[str, str] | None = None
) -> dict[str, dict[str, int | float]]:
    """The activity of a whole session, across the days it spans (live mode's mix)."""
    ensure_activity(store, rules)
    rows = _rows(store, Kind.ROOT, {"session": session_id})
    return activity_json(_fold(rows, 0).get((), {}))


def activity_for_children(
    store: UsageStore, path: tuple[Any, ...] = (), *, rules: Mapping[str, str] | None = None
) -> dict[Any, dict[str, dict[str, int | float]]]:
    """The activity of every child of the node at ``path``, keyed by the child's id as a
    string (``Node.id``: ISO dates for days). One query, for the explorer's column."""
    child = _kind_of(path).child
    if child is None:
        return {}
    ensure_activity(store, rules)
    rows = _rows(store, child, node_path.path_filters(path, every=True))
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
    rows = _rows(store, kind, node_path.path_filters(path, every=True))
    width = len(level_keys(kind))
    return _json(rows, width) if as_json else _fold(rows, width)


def activity_for_turns(
    store: UsageStore,
    keys: Iterable[tuple[Any, ...]],
    *,
    rules: Mapping[str, str] | None = None,
) -> dict[tuple[Any, ...], Activity]:
    """The exact split of the turns with these ``(week, day, session, turn)`` keys (days as
    ``date``), as :func:`activity_for_level` gives it: for the few turns an insight names."""
    wanted = set(keys)
    if not wanted:
        return {}
    ensure_activity(store, rules)
    return turn_activity(store.cursor(), wanted)


def turn_activity(
    cursor: duckdb.DuckDBPyConnection, keys: set[tuple[Any, ...]]
) -> dict[tuple[Any, ...], Activity]:
    """:func:`activity_for_turns` on a cursor, the attribution tables being current."""
    if not keys:
        return {}
    params = {"turns": sorted({key[3] for key in keys})}
    for money in ("TRY_CAST(cost AS BIGINT)", "cost"):  # BIGINT converts faster; else exact
        rows = cursor.execute(
            sql("turn_activity", package=__package__, money=money), params
        ).fetchall()
        if all(None not in costs for *_, costs in rows):
            break
    names = CATEGORIES
    found: dict[tuple[Any, ...], Activity] = {}
    for week, day, session, turn, cats, tokens, costs in rows:
        key = (week, day, session, turn)
        if key in keys:
            found[key] = {
                names[cat]: Share(tok, int(cost))
                for cat, tok, cost in zip(cats, tokens, costs, strict=True)
            }
    return found


def _kind_of(path: tuple[Any, ...]) -> Kind:
    kinds = (Kind.ROOT, Kind.WEEK, Kind.DAY, Kind.SESSION, Kind.TURN, Kind.CALL)
    if len(path) >= len(kinds):
        raise ValueError(f"path too deep: {path!r}")
    return kinds[len(path)]


def discard_activity(store: UsageStore) -> None:
    """Forget that ``call_activity`` is current (the next :func:`ensure_activity` rebuilds)."""
    store.derived.discard_activity()
