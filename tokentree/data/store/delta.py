"""Deltas of the derived tables: what a change of some files touched, and the statements that
recompute only that (:mod:`tokentree.data.store.derived` decides when).

A change is captured from the raw rows of the changed files, before and after it
(:func:`capture`): their call keys (``raw_calls.k``, what ``sql/calls.sql`` deduplicates by),
the ids of their main-thread calls, their prompts' uuids and the sessions of their subagent
records. ``calls`` is recomputed for those keys and for the keys of sidechain rows sharing a
call id with them (a sidechain replay is dropped when its call id is on the main thread),
``prompts`` for those uuids. The sessions of those calls and prompts, before and after, are
what the later stages recompute (:class:`Scope`): every later table is per session.

Scopes reach SQL as small plain tables (every cursor sees them): ``delta_keys``,
``delta_sessions``, ``delta_cids`` (the keys and every call of the sessions) and ``delta_<t>``,
the scope's rows of each table a stage reads. A stage's SQL names every table it reads as a
placeholder: the table itself for a full build, ``delta_<t>`` for a delta, whose statements
build ``delta_new_<t>`` instead of ``<t>`` (and read those for the tables built before them in
the stage); :func:`merge` then replaces the scope's rows. So a delta never scans a big table
more than once per input, and runs the very SQL of a full build.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tokentree.data.sqlfiles import sql

if TYPE_CHECKING:
    import duckdb

    from tokentree.data.pricing.prices import PriceTable
    from tokentree.data.store.store import View

DELTA_KEYS = 50_000
"""A change touching more call keys and prompts than this is built in full instead."""
CALL_KEY = "call_key(source, dedup_key, file_id, call_id, uuid, ts)"
"""A raw call row's key (the macro in ``sql/call_key.sql``)."""
SCOPED_BY = {
    "calls": "session_id",
    "prompts": "session_id",
    "raw_agents": "session_id",
    "priced": "cid",
    "call_turns": "cid",
    "call_flow": "cid",
    "call_cost_parts": "cid",
    "call_tools": "cid",
    "call_activity": "cid",
}
"""How a table's rows of a scope are found: by session, or by call (``delta_cids``); tables
not named here are by session."""


@dataclass(slots=True)
class Scope:
    """What a later stage recomputes: calls by id (cid) and whole sessions."""

    cids: set[int] = field(default_factory=set)
    sessions: set[str] = field(default_factory=set)
    appended: bool = False
    """Every call of ``cids`` is new and comes after every call and prompt its session had, none
    is a subagent's or spawns one: the rows of the sessions' other calls stay as they are
    (:mod:`tokentree.data.store.tail_delta` computes the new calls' rows only)."""

    def add(self, other: Scope) -> None:
        self.appended = (self.appended or not (self.cids or self.sessions)) and other.appended
        self.cids |= other.cids
        self.sessions |= other.sessions

    def fingerprint(self) -> tuple[frozenset[int], frozenset[str]]:
        return frozenset(self.cids), frozenset(self.sessions)


@dataclass(slots=True)
class RawChange:
    """What the raw rows of some files were or became."""

    keys: set[int] = field(default_factory=set)
    call_ids: set[tuple[str, str]] = field(default_factory=set)
    """Of main-thread rows: a sidechain call with the same id is a replay of one (dropped), so
    its key is recomputed too."""
    uuids: set[str] = field(default_factory=set)
    sessions: set[str] = field(default_factory=set)

    def add(self, other: RawChange) -> None:
        self.keys |= other.keys
        self.call_ids |= other.call_ids
        self.uuids |= other.uuids
        self.sessions |= other.sessions

    @property
    def size(self) -> int:
        return len(self.keys) + len(self.uuids)


def prompt_mark(cursor: duckdb.DuckDBPyConnection) -> int:
    """The last ``raw_prompts`` row id: rows inserted afterwards have greater ones (DuckDB
    numbers appended rows on from every row id the table ever had; nothing renumbers rows of
    an in-memory table between this and :func:`capture`, under the store's lock)."""
    found = cursor.execute("SELECT max(rowid) FROM raw_prompts").fetchone()
    return -1 if not found or found[0] is None else int(found[0])


def capture(
    cursor: duckdb.DuckDBPyConnection, file_ids: Iterable[int], *, new_after: int | None = None
) -> RawChange:
    """The keys, main-thread call ids, prompt uuids and subagent sessions of these files'
    raw rows (one statement). ``new_after``: of their call and prompt rows only those just
    read (calls: their key is not set yet; prompts: row ids after this mark), so that an
    appended tail touches its own calls and prompts, not its file's."""
    change = RawChange()
    new_only = new_after is not None
    params = [list(file_ids), not new_only, new_after if new_only else -1]
    for kind, key, source, text in cursor.execute(
        sql("delta_capture", package=__package__), params
    ).fetchall():
        if kind == "c":
            change.keys.add(key)
            if text is not None:
                change.call_ids.add((source, text))
        elif kind == "p":
            change.uuids.add(text)
        else:
            change.sessions.add(text)
    return change


def _column(cursor: duckdb.DuckDBPyConnection, query: str, params: Any = None) -> set[Any]:
    return {row[0] for row in cursor.execute(query, params).fetchall()}


# ---------------------------------------------------------------------- scopes in SQL

_CREATE = re.compile(r"CREATE OR REPLACE TABLE (\w+) AS")


def relations(inputs: Iterable[str], outputs: Iterable[str], *, scoped: bool) -> dict[str, str]:
    """What a stage's SQL names each table by: the table itself (a full build), or for a delta
    the scope's rows of what it reads (``delta_<t>``) and the rows it builds
    (``delta_new_<t>``)."""
    if not scoped:
        return {name: name for name in (*inputs, *outputs)}
    return {
        **{name: f"delta_{name}" for name in inputs},
        **{name: f"delta_new_{name}" for name in outputs},
    }


def retarget(statement: str, outputs: Iterable[str]) -> str:
    """A delta's statement: ``CREATE OR REPLACE TABLE t AS`` builds ``delta_new_t`` instead,
    for the stage's tables (:func:`merge` then puts those rows in ``t``)."""
    match = _CREATE.search(statement)
    if match is None or match.group(1) not in set(outputs):
        return statement
    start, end = match.span()
    return (
        f"{statement[:start]}CREATE OR REPLACE TABLE delta_new_{match.group(1)} AS{statement[end:]}"
    )


def merge(cursor: duckdb.DuckDBPyConnection, outputs: Iterable[str]) -> None:
    """Replace the scope's rows of each table with those of ``delta_new_<table>``."""
    for table in outputs:
        key = SCOPED_BY.get(table, "session_id")
        scope = "delta_cids" if key == "cid" else "delta_sessions"
        cursor.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {scope})")
        cursor.execute(f"INSERT INTO {table} SELECT * FROM delta_new_{table}")
        cursor.execute(f"DROP TABLE delta_new_{table}")


def scope_keys(cursor: duckdb.DuckDBPyConnection, cids: set[int]) -> None:
    """``delta_keys`` (the calls that changed, also those now gone) and ``delta_cids`` (those
    and every call of the scope's sessions, ``delta_calls``)."""
    cursor.execute(
        "CREATE OR REPLACE TABLE delta_keys AS SELECT unnest($1::UBIGINT[]) AS k", [sorted(cids)]
    )
    cursor.execute(
        "CREATE OR REPLACE TABLE delta_cids AS SELECT k AS cid FROM delta_keys UNION "
        "SELECT cid FROM delta_calls"
    )


def scope_table(cursor: duckdb.DuckDBPyConnection, table: str) -> None:
    """``delta_<table>``: the rows of ``table`` of the scope's sessions (``delta_sessions``), or
    of their calls (``delta_calls``)."""
    if SCOPED_BY[table] == "cid":
        where = "cid IN (SELECT cid FROM delta_calls)"
    else:
        where = "session_id IN (SELECT session_id FROM delta_sessions)"
    cursor.execute(f"CREATE OR REPLACE TABLE delta_{table} AS SELECT * FROM {table} WHERE {where}")


# ---------------------------------------------------------------------- calls and prompts

_SET_KEYS = f"UPDATE raw_calls SET k = {CALL_KEY} WHERE k IS NULL"
"""Every raw call row gets its key once (rows the persisted cache restores have theirs)."""
_SESSIONS_AFTER = (
    "SELECT session_id FROM delta_new_calls UNION SELECT session_id FROM delta_new_prompts"
)


def set_keys(cursor: duckdb.DuckDBPyConnection) -> None:
    """Key every raw call row that has no key yet (:data:`CALL_KEY`)."""
    cursor.execute(_SET_KEYS)


def build_calls(cursor: duckdb.DuckDBPyConnection) -> None:
    set_keys(cursor)
    cursor.execute(
        sql(
            "calls",
            package=__package__,
            keys="true",
            main_ids="true",
            materialized="NOT MATERIALIZED",
        )
    )
    cursor.execute(sql("prompts", package=__package__, uuids="true"))


def apply_calls(cursor: duckdb.DuckDBPyConnection, raw: RawChange) -> Scope:
    """Recompute the calls and prompts ``raw`` touched; returns what later stages redo."""
    cursor.execute(_SET_KEYS)
    pairs = sorted(raw.call_ids)
    cursor.execute(
        sql("delta_keys", package=__package__, sidechains="true" if pairs else "false"),
        [sorted(raw.keys), [s for s, _ in pairs], [c for _, c in pairs]],
    )
    uuids = sorted(raw.uuids)
    sessions = _column(cursor, sql("delta_sessions_before", package=__package__), [uuids])
    cursor.execute(
        retarget(
            sql(
                "calls",
                package=__package__,
                keys="k IN (SELECT k FROM delta_keys)",
                # a superset (the source is matched in the end): one column to compare
                main_ids="call_id IN (SELECT call_id FROM candidates WHERE is_sidechain)",
                materialized="MATERIALIZED",
            ),
            ["calls"],
        )
    )
    if uuids:  # an appended answer has no prompt: nothing of that to redo
        cursor.execute(
            retarget(
                sql("prompts", package=__package__, uuids="uuid IN (SELECT unnest($1::VARCHAR[]))"),
                ["prompts"],
            ),
            [uuids],
        )
        sessions |= _column(cursor, _SESSIONS_AFTER)
    else:
        sessions |= _column(cursor, "SELECT session_id FROM delta_new_calls")
    appended = _appended(cursor, uuids)
    cursor.execute("DELETE FROM calls WHERE cid IN (SELECT k FROM delta_keys)")
    cursor.execute("INSERT INTO calls SELECT * FROM delta_new_calls")
    if uuids:
        cursor.execute("DELETE FROM prompts WHERE uuid IN (SELECT unnest($1::VARCHAR[]))", [uuids])
        cursor.execute("INSERT INTO prompts SELECT * FROM delta_new_prompts")
    found = _column(cursor, "SELECT k FROM delta_keys")
    return Scope(found, sessions | raw.sessions, appended and not raw.sessions)


def _appended(cursor: duckdb.DuckDBPyConnection, uuids: list[str]) -> bool:
    """Whether the change is an append (``delta_appended.sql``)."""
    prompts = "UNION ALL SELECT session_id, ts FROM delta_new_prompts" if uuids else ""
    query = sql("delta_appended", package=__package__, new_prompts=prompts)
    row = cursor.execute(query, {"uuids": uuids}).fetchone()
    return bool(row and row[0])


def drop(cursor: duckdb.DuckDBPyConnection, *tables: str) -> None:
    for table in tables:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


# ---------------------------------------------------------------------- priced


def build_priced(cursor: duckdb.DuckDBPyConnection, prices: PriceTable, view: View) -> None:
    load_rates(cursor, prices)
    cursor.execute(sql("priced", package=__package__, calls="calls"), _view_params(view))


def apply_priced(
    cursor: duckdb.DuckDBPyConnection,
    prices: PriceTable,
    view: View,
    cids: set[int],
    *,
    calls: str = "calls",
) -> None:
    """Reprice the calls ``cids`` (adding the rates of models new to the data), reading their
    rows from ``calls`` (``delta_calls`` when the working set holds them); leaves the keys in
    ``delta_keys`` and the new rows in ``delta_new_priced``."""
    cursor.execute(
        "CREATE OR REPLACE TABLE delta_keys AS SELECT unnest($1::UBIGINT[]) AS k", [sorted(cids)]
    )
    cursor.execute(
        "CREATE OR REPLACE TABLE delta_priced_calls AS SELECT * FROM "
        f"{calls} WHERE cid IN (SELECT k FROM delta_keys)"
    )
    new_models = cursor.execute(sql("delta_new_models", package=__package__)).fetchall()
    if new_models:
        _insert_rates(cursor, prices, [model for (model,) in new_models])
    cursor.execute(
        retarget(sql("priced", package=__package__, calls="delta_priced_calls"), ["priced"]),
        _view_params(view),
    )
    cursor.execute("DELETE FROM priced WHERE cid IN (SELECT k FROM delta_keys)")
    cursor.execute("INSERT INTO priced SELECT * FROM delta_new_priced")
    cursor.execute("DROP TABLE delta_priced_calls")


def _view_params(view: View) -> dict[str, Any]:
    return {
        "tz": view.tz,
        "since": view.since,
        "until": view.until,
        "hidden": sorted(view.hidden_sources),
        "devices": None if view.devices is None else sorted(view.devices),
    }


def load_rates(cursor: duckdb.DuckDBPyConnection, prices: PriceTable) -> None:
    """``model_rates``: one row per model in ``calls``."""
    from tokentree.data.pricing.prices import RATE_COLUMNS

    models = [row[0] for row in cursor.execute("SELECT DISTINCT model FROM calls").fetchall()]
    columns = ", ".join(f"{name} {kind}" for name, kind in RATE_COLUMNS)
    cursor.execute(f"CREATE OR REPLACE TABLE model_rates ({columns})")
    _insert_rates(cursor, prices, models)


def _insert_rates(
    cursor: duckdb.DuckDBPyConnection, prices: PriceTable, models: list[str | None]
) -> None:
    from tokentree.data.pricing.prices import RATE_COLUMNS

    rows = prices.rate_rows(models)
    if rows:
        marks = ", ".join("?" for _ in RATE_COLUMNS)
        cursor.executemany(f"INSERT INTO model_rates VALUES ({marks})", rows)


# ---------------------------------------------------------------------- turns

TURNS_INPUTS = ("calls", "priced", "prompts", "raw_agents")


def turns_sql(*, scoped: bool) -> str:
    """``sql/turns.sql`` for everything, or (``scoped``) into ``delta_new_call_turns`` from
    the scope's tables."""
    text = sql("turns", package=__package__, **relations(TURNS_INPUTS, (), scoped=scoped))
    return retarget(text, ["call_turns"]) if scoped else text
