"""An appended change (:attr:`~tokentree.data.store.delta.Scope.appended`): only the new calls' rows
of ``call_turns`` and of the attribution tables are computed; the sessions' other rows stay.

A live session mostly grows by answers written after everything it had. Then no earlier call's
turn, thread position, predecessor or attribution changes, and the new calls' rows follow from
the same SQL as a full build run over a few rows, plus what the stored rows say about the
calls before them:

* ``call_turns``: ``sql/turns.sql`` over the new calls (their turns: the session's prompts);
  a turn's and a session-day's start is the earlier of the new calls' and the stored one;
* ``call_flow``: ``sql/activity.sql``'s first statement over the new calls, the last stored
  call of each of their threads (their predecessor, ranked first) and the prompts after it;
  a position is then counted on from that call's, and its context resets added;
* ``call_cost_parts``, ``call_tools``: per call; ``call_activity``: per call, with the tools
  of each predecessor (stored or new).

Expects the scope's tables (:meth:`DerivedTables.scope <tokentree.data.store.derived.DerivedTables.
scope>`): ``delta_keys`` (the new calls) and the working set's ``delta_calls``,
``delta_priced``, ``delta_prompts`` and ``delta_raw_agents``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from tokentree.data.activity import build as activity_build
from tokentree.data.sqlfiles import sql, statements
from tokentree.data.store.concurrent import in_parallel
from tokentree.data.store.delta import retarget

if TYPE_CHECKING:
    import duckdb

    from tokentree.data.store.derived import DerivedTables

_SCRATCH = (
    "tail_calls",
    "tail_priced",
    "tail_turns",
    "tail_last",
    "tail_flow_calls",
    "tail_prompts",
    "tail_new_flow",
    "tail_tools",
)


def _insert(cursor: duckdb.DuckDBPyConnection, table: str, rows: str) -> None:
    """The new calls' rows (none of them had any: they are new to ``calls``)."""
    cursor.execute(f"INSERT INTO {table} SELECT * FROM {rows}")


def _drop(cursor: duckdb.DuckDBPyConnection, *tables: str) -> None:
    for table in tables:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


def apply_turns(cursor: duckdb.DuckDBPyConnection) -> None:
    """The new calls' ``call_turns`` rows."""
    for statement in statements("tail_new", package=__package__):
        cursor.execute(statement)
    names = {
        "calls": "tail_calls",
        "priced": "tail_priced",
        "prompts": "delta_prompts",
        "raw_agents": "delta_raw_agents",
    }
    cursor.execute(retarget(sql("turns", package="tokentree.data.store", **names), ["call_turns"]))
    cursor.execute(sql("tail_turn_starts", package=__package__))
    _insert(cursor, "call_turns", "tail_turns")
    _drop(cursor, "delta_new_call_turns", *_SCRATCH)


def apply_activity(derived: DerivedTables, rules: Mapping[str, str] | None) -> None:
    """The new calls' rows of the attribution tables."""
    store = derived.store
    cursor = store.cursor()
    for statement in (
        *statements("tail_new", package=__package__),
        *statements("tail_flow_inputs", package=__package__),
    ):
        cursor.execute(statement)
    money = derived.activity_money
    own = {
        "calls": "tail_calls",
        "priced": "tail_priced",
        "prompts": "tail_prompts",
        **{table: f"delta_new_{table}" for table in activity_build.TABLES},
    }
    _, cost_parts, tools, _ = (
        retarget(statement, activity_build.TABLES)
        for statement in statements(
            "activity",
            package="tokentree.data.activity",
            **activity_build.substitutions(own, money),
        )
    )
    threads = {**own, "calls": "tail_flow_calls"}
    flow = retarget(
        statements(
            "activity",
            package="tokentree.data.activity",
            **activity_build.substitutions(threads, money),
        )[0],
        activity_build.TABLES,
    )
    latest = {**own, "call_flow": "tail_new_flow", "call_tools": "tail_tools"}
    activity = retarget(
        statements(
            "activity",
            package="tokentree.data.activity",
            **activity_build.substitutions(latest, money),
        )[3],
        activity_build.TABLES,
    )

    def classified(cursor: duckdb.DuckDBPyConnection) -> None:
        activity_build.classify(cursor, rules, "tail_calls WHERE")
        cursor.execute(tools)

    def ordered(cursor: duckdb.DuckDBPyConnection) -> None:
        cursor.execute(flow)
        cursor.execute(sql("tail_flow_counted_on", package=__package__))
        cursor.execute(cost_parts)

    in_parallel(store, [classified, ordered])
    cursor.execute(sql("tail_predecessor_tools", package=__package__))
    cursor.execute(activity)
    _insert(cursor, "call_flow", "tail_new_flow")
    for table in ("call_cost_parts", "call_tools", "call_activity"):
        _insert(cursor, table, f"delta_new_{table}")
    _drop(cursor, *(f"delta_new_{t}" for t in activity_build.TABLES), *_SCRATCH)
