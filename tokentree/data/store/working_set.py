"""The working set: the few sessions live refreshes keep touching, with their rows of the wide
tables mirrored in small tables that every delta keeps current.

A delta recomputes whole sessions (:mod:`tokentree.data.store.delta`), so it needs their rows of
``calls``, ``prompts``, ``priced`` and ``raw_agents``. Fetching every column of a few rows out
of a big DuckDB table reads all of it, which would make each refresh cost in proportion to the
history. Instead the rows of the working set's sessions live in ``delta_calls``,
``delta_prompts``, ``delta_priced`` and ``delta_raw_agents``: built once when the set changes,
then updated by each delta with the rows it produced. A scope within the set is widened to the
whole set (its few sessions are recomputed together); a scope outside it starts a new set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tokentree.data.store import delta

if TYPE_CHECKING:
    import duckdb

MAX_SESSIONS = 4
"""Sessions kept together before a new set starts (live mode follows one or two)."""
MIRRORED = ("calls", "prompts", "priced", "raw_agents")


@dataclass(slots=True)
class WorkingSet:
    sessions: frozenset[str] = frozenset()
    calls_token: Any = None
    """The ``calls`` (and ``prompts``, ``raw_agents``) version the mirrors hold; None: none."""
    priced_token: Any = None
    """The ``priced`` version ``delta_priced`` holds."""

    def covers(self, sessions: set[str], calls_token: Any, priced_token: Any) -> bool:
        return (
            self.calls_token is not None
            and sessions <= self.sessions
            and (self.calls_token, self.priced_token) == (calls_token, priced_token)
        )

    def take(
        self,
        cursor: duckdb.DuckDBPyConnection,
        sessions: set[str],
        calls_token: Any,
        priced_token: Any,
    ) -> None:
        """Mirror ``sessions`` (with the current set's, while few): one pass over each table."""
        wanted = self.sessions | sessions
        if len(wanted) > MAX_SESSIONS or self.calls_token is None:
            wanted = frozenset(sessions)
        cursor.execute(
            "CREATE OR REPLACE TABLE delta_sessions AS SELECT unnest($1::VARCHAR[]) AS session_id",
            [sorted(wanted)],
        )
        for table in ("calls", "prompts", "raw_agents"):
            delta.scope_table(cursor, table)
        cursor.execute(
            "CREATE OR REPLACE TABLE delta_priced AS SELECT * FROM priced "
            "WHERE cid IN (SELECT cid FROM delta_calls)"
        )
        self.sessions = frozenset(wanted)
        self.calls_token, self.priced_token = calls_token, priced_token

    def forget(self) -> None:
        self.calls_token = self.priced_token = None

    def calls_changed(
        self,
        cursor: duckdb.DuckDBPyConnection,
        uuids: list[str],
        agent_sessions: set[str],
        before: Any,
        after: Any,
    ) -> None:
        """``calls`` went from version ``before`` to ``after`` by a delta (its keys in
        ``delta_keys``, its rows in ``delta_new_calls``/``delta_new_prompts``): the same to the
        mirrors."""
        if self.calls_token != before:
            self.forget()
            return
        cursor.execute("DELETE FROM delta_calls WHERE cid IN (SELECT k FROM delta_keys)")
        cursor.execute(
            "INSERT INTO delta_calls SELECT * FROM delta_new_calls "
            "WHERE session_id IN (SELECT session_id FROM delta_sessions)"
        )
        if uuids:  # else no prompt changed (and ``delta_new_prompts`` was not made)
            cursor.execute(
                "DELETE FROM delta_prompts WHERE uuid IN (SELECT unnest($1::VARCHAR[]))", [uuids]
            )
            cursor.execute(
                "INSERT INTO delta_prompts SELECT * FROM delta_new_prompts "
                "WHERE session_id IN (SELECT session_id FROM delta_sessions)"
            )
        if agent_sessions & self.sessions:
            delta.scope_table(cursor, "raw_agents")
        self.calls_token = after

    def priced_changed(self, cursor: duckdb.DuckDBPyConnection, before: Any, after: Any) -> None:
        """``priced`` went from ``before`` to ``after`` by a delta (the scope's calls in
        ``delta_keys``, their rows in ``delta_new_priced``)."""
        if self.priced_token != before:
            self.forget()
            return
        cursor.execute("DELETE FROM delta_priced WHERE cid IN (SELECT k FROM delta_keys)")
        cursor.execute(
            "INSERT INTO delta_priced SELECT * FROM delta_new_priced "
            "WHERE cid IN (SELECT cid FROM delta_calls)"
        )
        self.priced_token = after
