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

_NEW = (
    "CREATE OR REPLACE TABLE tail_calls AS "
    "SELECT * FROM delta_calls WHERE cid IN (SELECT k FROM delta_keys)",
    "CREATE OR REPLACE TABLE tail_priced AS "
    "SELECT * FROM delta_priced WHERE cid IN (SELECT k FROM delta_keys)",
)

_TURN_STARTS = """
CREATE OR REPLACE TABLE tail_turns AS
WITH old AS (
    SELECT p.day, c.session_id, t.turn_id, t.session_start, t.turn_start
    FROM call_turns t
    JOIN delta_calls c USING (cid)
    JOIN delta_priced p USING (cid)
),
days AS (SELECT day, session_id, min(session_start) AS start FROM old GROUP BY ALL),
turns AS (SELECT day, session_id, turn_id, min(turn_start) AS start FROM old GROUP BY ALL)
SELECT n.cid, n.turn_id,
       least(n.session_start, coalesce(d.start, n.session_start)) AS session_start,
       least(n.turn_start, coalesce(u.start, n.turn_start)) AS turn_start
FROM delta_new_call_turns n
JOIN tail_priced p USING (cid)
JOIN tail_calls c USING (cid)
LEFT JOIN days d ON d.day = p.day AND d.session_id = c.session_id
LEFT JOIN turns u ON u.day = p.day AND u.session_id = c.session_id AND u.turn_id = n.turn_id
"""

_THREAD = "coalesce(agent_id, CASE WHEN is_sidechain THEN '~sidechain' ELSE '' END)"
_FLOW_INPUTS = (
    # the last stored call of each thread of the new calls' sessions, ranked as call_flow ranks
    "CREATE OR REPLACE TABLE tail_last AS SELECT cid, session_id, thread FROM ("
    f" SELECT cid, session_id, {_THREAD} AS thread,"
    "  row_number() OVER w AS rn, count(*) OVER (PARTITION BY session_id, thread) AS n"
    "  FROM delta_calls WHERE session_id IN (SELECT session_id FROM tail_calls)"
    "  AND cid NOT IN (SELECT k FROM delta_keys)"
    "  WINDOW w AS (PARTITION BY session_id, thread ORDER BY ts, cid IS NOT NULL, call_id, cid)"
    ") WHERE rn = n",
    "CREATE OR REPLACE TABLE tail_flow_calls AS SELECT * FROM tail_calls UNION ALL "
    "SELECT * FROM delta_calls WHERE cid IN (SELECT cid FROM tail_last)",
    # the prompts after the main thread's last stored call (all of them when it has none)
    "CREATE OR REPLACE TABLE tail_prompts AS SELECT p.* FROM delta_prompts p"
    " WHERE p.session_id IN (SELECT session_id FROM tail_calls) AND p.ts > coalesce(("
    "  SELECT max(c.ts) FROM delta_calls c JOIN tail_last l USING (cid)"
    "  WHERE l.thread = '' AND l.session_id = p.session_id), '-infinity'::TIMESTAMPTZ)",
)
_FLOW_COUNTED_ON = """
CREATE OR REPLACE TABLE tail_new_flow AS
WITH before AS (
    SELECT l.session_id, l.thread, f.pos - 1 AS pos, f.seg
    FROM call_flow f JOIN tail_last l USING (cid)
)
SELECT n.* REPLACE (n.pos + coalesce(b.pos, 0) AS pos, n.seg + coalesce(b.seg, 0) AS seg)
FROM delta_new_call_flow n
JOIN tail_calls c USING (cid)
LEFT JOIN before b ON b.session_id = c.session_id AND b.thread = n.thread
"""
_PREDECESSOR_TOOLS = (
    "CREATE OR REPLACE TABLE tail_tools AS SELECT * FROM delta_new_call_tools UNION ALL "
    "SELECT * FROM call_tools WHERE cid IN (SELECT prev_cid FROM tail_new_flow"
    " WHERE prev_cid NOT IN (SELECT k FROM delta_keys))"
)
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
    for statement in _NEW:
        cursor.execute(statement)
    names = {
        "calls": "tail_calls",
        "priced": "tail_priced",
        "prompts": "delta_prompts",
        "raw_agents": "delta_raw_agents",
    }
    cursor.execute(retarget(sql("turns", package="tokentree.data.store", **names), ["call_turns"]))
    cursor.execute(_TURN_STARTS)
    _insert(cursor, "call_turns", "tail_turns")
    _drop(cursor, "delta_new_call_turns", *_SCRATCH)


def apply_activity(derived: DerivedTables, rules: Mapping[str, str] | None) -> None:
    """The new calls' rows of the attribution tables."""
    store = derived.store
    cursor = store.cursor()
    for statement in (*_NEW, *_FLOW_INPUTS):
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
        cursor.execute(_FLOW_COUNTED_ON)
        cursor.execute(cost_parts)

    in_parallel(store, [classified, ordered])
    cursor.execute(_PREDECESSOR_TOOLS)
    cursor.execute(activity)
    _insert(cursor, "call_flow", "tail_new_flow")
    for table in ("call_cost_parts", "call_tools", "call_activity"):
        _insert(cursor, table, f"delta_new_{table}")
    _drop(cursor, *(f"delta_new_{t}" for t in activity_build.TABLES), *_SCRATCH)
