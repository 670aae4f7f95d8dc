"""What the insights know about each node: the per-turn tables (:mod:`.insight_prepare`) rolled
up in SQL to the levels asked for, so a range summary never materialises per-turn objects.

:func:`collect` turns a scope's rows into one :class:`Facts` per node of the requested levels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tokentree.data.activity.query import turn_activity
from tokentree.data.insights.prepare import money_of
from tokentree.data.sqlfiles import sql
from tokentree.data.store.concurrent import Task, in_parallel, query_task
from tokentree.model.activity import Activity
from tokentree.model.tree import Kind

if TYPE_CHECKING:
    from tokentree.data.store.store import UsageStore

REPEAT_MIN_READS = 3

Key = tuple[Any, ...]

KINDS = (Kind.ROOT, Kind.WEEK, Kind.DAY, Kind.SESSION, Kind.TURN)
LEVEL = {Kind.ROOT: 15, Kind.WEEK: 7, Kind.DAY: 3, Kind.SESSION: 1, Kind.TURN: 0}
"""A node level as ``GROUPING(week, day, session_id, turn_id)`` in ``sql/insights_*.sql``."""
_KIND_OF = {code: kind for kind, code in LEVEL.items()}
_DEPTH = {kind: kind.depth for kind in KINDS}

ADDITIVE = (
    "calls",
    "input",
    "output",
    "cache_read",
    "cache_write",
    "cost",
    "ctx_cost",
    "sub_calls",
    "sub_tokens",
    "sub_cost",
    "rebuilds",
    "rebuild_tokens",
    "rebuild_cost",
    "rebuild_extra",
    "main_calls",
)
"""The sums every node has (pUSD for costs), in the column order of the queries."""


@dataclass(slots=True)
class TurnFacts:
    """A turn named by an insight: its key, number in the session and what is said about it."""

    key: Key  # (week, day, session, turn)
    number: int
    prompt: str | None
    calls: int
    cost: int
    history: int
    later_calls: int
    split_saving: int | None


@dataclass(slots=True)
class Facts:
    """One node: its sums and, rolled up in SQL, what its insights name."""

    kind: Kind
    key: Key
    sums: dict[str, int]
    turn_count: int = 0
    costly: int = 0
    """Turns with a cost."""
    context: tuple[int | None, int | None, int | None] = (None, None, None)
    """Main-thread prompt size at the start of the first main turn, at the end of the last,
    and the peak."""
    turn: TurnFacts | None = None
    """A turn node's own turn."""
    top_turns: list[TurnFacts] = field(default_factory=list)
    """The three most expensive turns (cost > 0), most expensive first."""
    best_split: TurnFacts | None = None
    """A session's best turn for a new session (saving > 0)."""
    splits: list[TurnFacts] = field(default_factory=list)
    """A rollup's sessions' best splits, best first (five)."""
    split_total: int = 0
    split_sessions: int = 0
    rebuilds: list[tuple[Any, ...]] = field(default_factory=list)
    """(call_id, ts, gap_s, ttl_s, tokens, cost, extra), most expensive first (five)."""
    reads: list[tuple[str, list[int]]] = field(default_factory=list)
    """Files worth reporting: (file, [sessions, reads, re-reads, tokens, cost, re-read tokens,
    re-read cost]), best first (three)."""
    agents: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    """(agent type, model) → [agents, calls, tokens, cost]."""
    models: list[tuple[tuple[str, str], list[int]]] = field(default_factory=list)
    """((model, alternative), [calls, output, cost, alternative cost]), best first (two)."""

    @property
    def tokens(self) -> int:
        s = self.sums
        return s["input"] + s["output"] + s["cache_read"] + s["cache_write"]

    @property
    def cost(self) -> int:
        return self.sums["cost"]


def _ints(values: Iterable[Any]) -> list[int]:
    return [int(v) for v in values]


def _turn(turn: dict[str, Any]) -> TurnFacts:
    """A TurnFacts from a turn struct of ``sql/insights_top.sql``."""
    saving = turn["split_saving"]
    return TurnFacts(
        (turn["week"], turn["day"], turn["session_id"], turn["turn_id"]),
        int(turn["turn_no"]),
        turn["text"],
        int(turn["calls"]),
        int(turn["cost"]),
        int(turn["history"]),
        int(turn["later_calls"]),
        None if saving is None else int(saving),
    )


def collect(
    store: UsageStore, scope: dict[str, Any], kinds: Iterable[Kind]
) -> tuple[dict[Kind, dict[Key, Facts]], dict[Key, Activity]]:
    """The facts of every node of ``kinds`` in ``scope`` (``week``/``day``/``session``
    filters), and the activity of the turns they name. Sessions are included whenever turns
    are (a turn is judged within its session). Two groups of queries run side by side."""
    wanted = set(kinds)
    if Kind.TURN in wanted:
        wanted.add(Kind.SESSION)
    rollups = ", ".join(str(LEVEL[k]) for k in KINDS if k in wanted and k is not Kind.TURN)
    levels = ", ".join(str(LEVEL[k]) for k in KINDS if k in wanted)
    money = money_of(store)
    nodes: dict[Kind, dict[Key, Facts]] = {kind: {} for kind in KINDS if kind in wanted}

    def turns_side(cursor: Any) -> dict[Key, Activity]:
        for row in cursor.execute(
            sql("nodes", package=__package__, levels=rollups or "-1", money=money), scope
        ).fetchall():
            _add_node(nodes, row)
        top = cursor.execute(
            sql("top", package=__package__, levels=rollups or "-1", money=money), scope
        ).fetchall()
        _add_top(nodes, top)
        if Kind.TURN in nodes:
            _turn_nodes(
                cursor, sql("turns", package=__package__, money=money), scope, nodes[Kind.TURN]
            )
        named = {t.key for facts in nodes.values() for n in facts.values() for t in n.top_turns}
        return turn_activity(cursor, named)

    def rows(name: str, **substitutions: object) -> Task[list[tuple[Any, ...]]]:
        return query_task(
            sql(name, package=__package__, levels=levels, money=money, **substitutions), scope
        )

    def other_side(cursor: Any) -> list[list[tuple[Any, ...]]]:
        return [
            task(cursor)
            for task in (
                query_task(sql("rebuilds", package=__package__, money=money), scope),
                rows("reads", min_reads=REPEAT_MIN_READS),
                rows("agents"),
                rows("models"),
            )
        ]

    activity, (rebuilds, reads, agents, models) = in_parallel(store, [turns_side, other_side])
    _add_rebuilds(nodes, rebuilds)
    for row in reads:
        node = _node(nodes, row)
        if node is not None:
            node.reads.append((row[5], _ints(row[6:])))
    for row in agents:
        node = _node(nodes, row)
        if node is not None:
            node.agents[(row[5], row[6])] = _ints(row[7:])
    for row in models:
        node = _node(nodes, row)
        if node is not None:
            node.models.append(((row[5], row[6]), _ints(row[7:])))
    for facts in nodes.values():
        for node in facts.values():
            if len(node.reads) > 1:
                node.reads.sort(key=lambda item: (-item[1][6], -item[1][4], item[0]))
            if len(node.models) > 1:
                node.models.sort(key=lambda kv: (-(kv[1][2] - kv[1][3]), kv[0]))
    return nodes, activity


def _add_node(nodes: dict[Kind, dict[Key, Facts]], row: tuple[Any, ...]) -> None:
    if not row[4]:  # the () grouping of no turns at all: no node
        return
    kind = _KIND_OF[row[3]]
    key = tuple(row[: _DEPTH[kind]])
    width = len(ADDITIVE)
    sums = dict(zip(ADDITIVE, _ints(row[6 : 6 + width]), strict=True))
    p_start, p_end, p_max = (None if v is None else int(v) for v in row[6 + width :])
    nodes[kind][key] = Facts(kind, key, sums, int(row[4]), int(row[5]), (p_start, p_end, p_max))


def _add_top(nodes: dict[Kind, dict[Key, Facts]], rows: list[tuple[Any, ...]]) -> None:
    """Attach the turns of ``sql/insights_top.sql`` (in order) to their nodes."""
    for role, level, week, day, session, total, n, turns in rows:
        kind = _KIND_OF[level]
        node = nodes[kind].get((week, day, session)[: _DEPTH[kind]])
        if node is None or not turns:  # no rows at all: () still groups
            continue
        found = [_turn(turn) for turn in turns]
        if role == "cost":
            node.top_turns = found
        elif kind is Kind.SESSION:
            node.best_split = found[0]
        else:
            node.splits = found
            node.split_total, node.split_sessions = int(total), int(n)


def _node(nodes: dict[Kind, dict[Key, Facts]], row: tuple[Any, ...]) -> Facts | None:
    """The node of a ``(week, day, session_id, turn_id, level, …)`` row."""
    kind = _KIND_OF.get(row[4])
    if kind is None or kind not in nodes:
        return None
    return nodes[kind].get(tuple(row[: _DEPTH[kind]]))


def _turn_nodes(cursor: Any, query: str, scope: dict[str, Any], turns: dict[Key, Facts]) -> None:
    width = len(ADDITIVE)
    for row in cursor.execute(query, scope).fetchall():
        week, day, session, turn_id, number, text = row[:6]
        key = (week, day, session, turn_id)
        sums = dict(zip(ADDITIVE, _ints(row[6 : 6 + width]), strict=True))
        p_start, p_end, p_max, history, later, saving = row[6 + width :]
        node = Facts(Kind.TURN, key, sums, 1, int(sums["cost"] > 0))
        if sums["main_calls"]:
            node.context = (p_start, p_end, p_max)
        node.turn = TurnFacts(
            key,
            int(number),
            text,
            sums["calls"],
            sums["cost"],
            int(history),
            int(later),
            None if saving is None else int(saving),
        )
        turns[key] = node


def _add_rebuilds(nodes: dict[Kind, dict[Key, Facts]], rows: list[tuple[Any, ...]]) -> None:
    """Each node's five most expensive cache rebuilds (the query's order)."""
    kinds = [(_DEPTH[kind], facts) for kind, facts in nodes.items()]
    for row in rows:
        rebuild = tuple(row[4:])
        for depth, facts in kinds:
            node = facts.get(tuple(row[:depth]))
            if node is not None and len(node.rebuilds) < 5:
                node.rebuilds.append(rebuild)
