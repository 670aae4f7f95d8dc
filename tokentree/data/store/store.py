"""The store: one in-memory DuckDB connection holding the raw tables and what derives from them.

Every public method takes its own ``cursor()`` so the store can be used from worker threads
(one connection, a cursor per thread). The derived tables have one owner,
:class:`~tokentree.data.store.derived.DerivedTables` (``store.derived``): it knows what is built for
which data and view and rebuilds only what is stale, after a change of some files only the
calls and sessions it touched:

``raw_calls`` → ``calls`` (deduplicated) → ``priced`` (cost, local day and week, date range)
→ ``call_turns`` (turn of every call, from ``prompts``) → activity → insights.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from tokentree.data.pricing.prices import price_macros_sql
from tokentree.data.sqlfiles import split, statements
from tokentree.data.store.derived import DEPTH_CALLS, DEPTH_DAYS, DEPTH_TURNS, DerivedTables
from tokentree.data.store.memory import (
    ElasticCursor,
    MemoryCeiling,
    configured_limit,
    parse_mb,
)
from tokentree.data.tree.levels import level_params, level_sql

if TYPE_CHECKING:
    import duckdb

    from tokentree.data.pricing.prices import PriceTable

__all__ = ["DEPTH_CALLS", "DEPTH_DAYS", "DEPTH_TURNS", "UsageStore", "View"]


@dataclass(frozen=True, slots=True)
class View:
    """How the calls are bucketed and filtered."""

    tz: str = "UTC"
    since: date | None = None
    until: date | None = None
    hidden_sources: frozenset[str] = frozenset()
    """Sources whose calls are left out (the explorer's source toggle)."""
    devices: frozenset[str] | None = None
    """The devices whose calls are kept (``--device``, the explorer's device filter); None:
    every device."""


MEMORY_LIMIT = "4GB"
"""DuckDB's memory ceiling when it cannot spill (no writable ``temp_directory``): a query over
the limit would fail, so it is high (DuckDB's own default is 80 % of the machine's memory).
``$TOKENTREE_MEMORY_LIMIT`` overrides either limit."""
SPILL_MEMORY_LIMIT = "256MB"
"""DuckDB's memory ceiling when it can spill: beyond it, its buffers and the in-memory tables'
blocks go to ``temp_directory``, so the process's peak memory stays bounded whatever the size
of the history (the scan holds one batch per worker; the raw and derived tables of a large
history do not fit, and need not). 256 MB costs no time on a 1 GB cold read (peak ≈ 415 MiB
against ≈ 520 unbounded); 128 MB halves DuckDB's share again but spills on every batch
(≈ +30 % wall time), so it is left to ``$TOKENTREE_MEMORY_LIMIT``."""


def _can_spill(directory: Path) -> bool:
    """Whether DuckDB can spill under ``directory``: it creates the directory itself when it
    first spills, but not its parents (a query over the limit would fail instead)."""
    return directory.parent.is_dir()


class UsageStore:
    def __init__(self, *, threads: int = 2, temp_directory: Path | None = None) -> None:
        """``temp_directory``: where DuckDB may spill (under our cache directory; None, or not
        creatable: it cannot spill, and the memory limit is high)."""
        from tokentree.data.engine import duckdb

        limits: dict[str, str] = {"memory_limit": MEMORY_LIMIT}
        if temp_directory is not None and _can_spill(temp_directory):
            limits = {"memory_limit": SPILL_MEMORY_LIMIT, "temp_directory": str(temp_directory)}
        limits["memory_limit"] = configured_limit() or limits["memory_limit"]
        start_mb = parse_mb(limits["memory_limit"])
        self._ceiling = MemoryCeiling(start_mb) if start_mb else None
        """Raised when a statement cannot run within the limit (:mod:`.memory`)."""
        self._con = duckdb.connect(
            ":memory:",
            config={
                **limits,
                "threads": threads,
                "preserve_insertion_order": False,
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
                "allocator_flush_threshold": "16MB",
                "allocator_bulk_deallocation_flush_threshold": "16MB",
            },
        )
        self._lock = threading.RLock()
        self._prices: PriceTable | None = None
        self._prices_version = 0
        self.derived = DerivedTables(self)
        """The derived tables' owner."""
        # One round trip for all set-up statements (they take no parameters).
        setup = [
            *statements("raw_tables", package=__package__),
            *statements("archive_tables", package=__package__),
            *split(price_macros_sql()),
            *statements("call_key", package=__package__),
            *statements("scope", package=__package__),
            *statements("distinct_macros", package=__package__),
            "SET TimeZone = 'UTC'",
        ]
        self.cursor().execute(";\n".join(setup))

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A cursor for the calling thread (DuckDB connections are not shared across threads);
        a statement that runs out of memory is retried with a higher ceiling."""
        if self._ceiling is None:
            return self._con.cursor()
        return cast("duckdb.DuckDBPyConnection", ElasticCursor(self._con.cursor(), self._ceiling))

    def close(self) -> None:
        self._con.close()

    def compact(self) -> bool:
        """Checkpoint the in-memory database: DuckDB then compresses the tables and frees the
        slots of deleted rows, which it otherwise keeps until a checkpoint (every live delta
        deletes and re-inserts its sessions' rows, so without this memory grows with every
        refresh). The first checkpoint compresses everything (seconds on a large history),
        later ones only what changed. Reads may run meanwhile, writes wait; call it where no
        refresh runs. False when DuckDB declined (another transaction was writing)."""
        from tokentree.data.engine import duckdb

        try:
            self._con.cursor().execute("CHECKPOINT")
        except duckdb.Error:
            return False
        return True

    @property
    def lock(self) -> threading.RLock:
        """Held while the raw tables change or derived tables are rebuilt."""
        return self._lock

    def set_device(self, name: str) -> None:
        """Name this machine's device: what its own rows are labelled with (``local_device()``)."""
        literal = name.replace("'", "''")
        self.cursor().execute(f"CREATE OR REPLACE MACRO local_device() AS '{literal}'")

    def raw_changed(self) -> None:
        """Record that the raw tables were replaced (every derived table is stale)."""
        self.derived.raw_replaced()

    def derived_from_cache(self) -> None:
        """The raw tables and ``calls``/``prompts`` were just exposed, mutually consistent, from
        the persisted cache: only the view-dependent tables need building."""
        self.derived.raw_from_cache()

    def set_prices(self, prices: PriceTable) -> None:
        self._prices = prices
        self._prices_version += 1

    @property
    def prices(self) -> PriceTable:
        """The price table in use (bundled prices plus the user's overrides)."""
        if self._prices is None:
            from tokentree.data.pricing.prices import PriceTable

            self.set_prices(PriceTable.bundled())
        assert self._prices is not None
        return self._prices

    @property
    def prices_version(self) -> int:
        """Bumped whenever the price table is replaced."""
        self.prices  # noqa: B018 - makes sure a price table is set
        return self._prices_version

    @property
    def data_version(self) -> tuple[object, ...]:
        """Changes whenever a derived table may have changed (for callers that memoise)."""
        return self.derived.version

    def set_view(self, view: View) -> None:
        """Record the view the caller works with before anything is built for it."""
        self.derived.set_view(view)

    # ------------------------------------------------------------------ derived tables

    def build(self, view: View, *, depth: int = DEPTH_TURNS) -> None:
        """Bring the derived tables up to date for ``view``, down to ``depth``."""
        self.derived.build(view, depth)

    def set_call_keys(self) -> None:
        """Give the raw call rows read since the last build their keys (what a save of the raw
        tables must hold: the persisted cache restores them keyed)."""
        from tokentree.data.store.delta import set_keys

        with self.lock:
            set_keys(self.cursor())

    def build_calls(self, cursor: duckdb.DuckDBPyConnection | None = None) -> None:
        """Deduplicate calls and prompts if the raw tables changed (they depend on nothing else;
        the persisted cache stores them)."""
        self.derived.ensure_calls()

    # ------------------------------------------------------------------ queries

    def level_rows(self, kind: str, **filters: Any) -> list[tuple[Any, ...]]:
        """All rows of :meth:`iter_level_rows` as a list."""
        return list(self.iter_level_rows(kind, **filters))

    def iter_level_rows(
        self,
        kind: str,
        *,
        week: str | None = None,
        day: date | None = None,
        session: str | None = None,
        turn: str | None = None,
        call: str | None = None,
        with_activity: bool = False,
        batch: int = 20_000,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream the rows of a level in tree order (the deepest level of an export)."""
        if kind in ("week", "day"):
            self.derived.ensure_days()
        cursor = self.cursor()
        archived = kind == "session" and self.has_archived(cursor)
        cursor.execute(
            level_sql(kind, with_activity, archived),
            level_params(kind, week, day, session, turn, call),
        )
        while rows := cursor.fetchmany(batch):
            yield from rows

    def last_calls(self, count: int, *, session: str, turn: str) -> list[tuple[Any, ...]]:
        """The last ``count`` rows of a turn's call level, in tree order (what a live pane
        keeps of a long turn, without fetching the rest)."""
        cursor = self.cursor()
        rows = cursor.execute(
            level_sql("call", False, last=count),
            level_params("call", None, None, session, turn),
        ).fetchall()
        rows.reverse()
        return rows

    def has_archived(self, cursor: duckdb.DuckDBPyConnection | None = None) -> bool:
        """Whether the store holds rows of archived files (files gone from disk)."""
        cursor = cursor or self.cursor()
        return cursor.execute("SELECT EXISTS (SELECT 1 FROM archived_files)").fetchone()[0]

    def scalar(self, query: str, params: Any = None) -> Any:
        row = self.cursor().execute(query, params).fetchone()
        return row[0] if row else None

    def file_paths(self, file_ids: list[int]) -> dict[int, str]:
        rows = (
            self.cursor()
            .execute(
                "SELECT file_id, path FROM files WHERE file_id IN (SELECT unnest(?))", [file_ids]
            )
            .fetchall()
        )
        return {file_id: path for file_id, path in rows}
