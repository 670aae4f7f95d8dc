"""The persisted columnar cache: what the last run read, keyed by file, and what it derived.

One DuckDB database file per set of roots, under the user cache directory, in a folder named by
the parser version and DuckDB version (a bump of either means a rebuild). It holds the raw tables
(one row per call and file, so changed files can be replaced) and the derived ``calls`` and
``prompts`` of that state, so that a run where nothing changed reads neither logs nor raw rows:
the store then gets views over the attached file (``expose``). It is written to a temporary file
and renamed into place, so readers never see half a cache and concurrent tokentree processes
never block each other. Anything wrong with it (missing, corrupt, from another version) means it
is ignored and rebuilt; it is never fatal.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from tokentree.data.results import ResultCache
from tokentree.data.scan import FileState

if TYPE_CHECKING:
    import duckdb

PARSER_VERSION = 9
"""Bump when the meaning of the cached tables changes: every cache is rebuilt."""

RAW_TABLES = ("raw_calls", "raw_prompts", "raw_events", "raw_agents", "raw_limits")
DERIVED_TABLES = ("calls", "prompts")
STORE_TABLES = (*RAW_TABLES, *DERIVED_TABLES, "files", "archived_files")
"""Everything saved: the raw tables (archived files' rows included), ``calls``/``prompts``, the
manifest of the files on disk and the list of archived files."""
ACTIVITY_TABLE = "call_activity"
"""Saved when current: it depends on the calls and also on the activity rules and prices, so
its key goes to the ``meta`` table and a run with other settings recomputes it."""
FILE_COLUMNS = (
    "file_id",
    "path",
    "source",
    "format",
    "size",
    "mtime_ns",
    "end_offset",
    "tail_sig",
    "lines",
    "skipped",
    "truncated_tail",
    "error",
)
ALIAS = "snap"
COPY_PREFIX = "cached_copy_"
"""In-memory copies of the exposed tables, made ahead of the first change (:meth:`copy_out`)."""


def _copy_table(cursor: duckdb.DuckDBPyConnection, table: str, name: str) -> None:
    """``main.<name>``: the attached cache's ``table`` in memory. A raw table (or ``files``)
    gets its declared schema first: one made by ``CREATE TABLE AS`` has no column defaults,
    and the rows sources insert later rely on them (``is_api_error`` false, not NULL)."""
    from tokentree.data.sqlfiles import statements

    declared = f"CREATE TABLE IF NOT EXISTS {table} ("
    schema = next((s for s in statements("raw_tables") if declared in s), None)
    if schema is None:
        cursor.execute(f"CREATE OR REPLACE TABLE main.{name} AS SELECT * FROM {ALIAS}.{table}")
        return
    columns = schema[schema.index(declared) + len(declared) :]
    cursor.execute(f"DROP TABLE IF EXISTS main.{name}")
    cursor.execute(f"CREATE TABLE main.{name} ({columns}")
    cursor.execute(f"INSERT INTO main.{name} BY NAME SELECT * FROM {ALIAS}.{table}")


def _roots_key(roots: list[tuple[str, Path]]) -> str:
    real = sorted({f"{source}:{os.path.realpath(path)}" for source, path in roots})
    return hashlib.blake2b("\0".join(real).encode(), digest_size=10).hexdigest()


class PersistedCache:
    def __init__(self, directory: Path, roots: list[tuple[str, Path]]) -> None:
        """One cache per set of (source name, root) pairs."""
        import duckdb

        version_dir = directory / f"v{PARSER_VERSION}-duckdb{duckdb.__version__}"
        self.path = version_dir / f"{_roots_key(roots)}.duckdb"
        self.status = "cold"
        """``cold`` (none yet), ``loaded``, ``rebuilt`` (unusable, ignored) or ``unwritable``."""
        self.attached = False
        self.meta: dict[str, str] = {}
        """Key/value facts saved with the cache (e.g. ``activity_key``)."""
        self.results = ResultCache(version_dir / f"{_roots_key(roots)}.results")
        """Small derived results (insights) keyed by data state and settings."""
        self._copy_lock = threading.Lock()
        """Held while exposed tables are copied into memory (taken after the store's lock)."""
        self._copied = False

    def previous(self) -> Path | None:
        """The newest cache of these roots written by an earlier parser version (or another
        DuckDB version), if any: after an upgrade its files that are gone are archived from it
        (:func:`tokentree.data.ingest`), the rest is read again."""
        found: list[tuple[int, Path]] = []
        for directory in self.path.parent.parent.glob("v*-duckdb*"):
            version = directory.name[1:].split("-", 1)[0]
            candidate = directory / self.path.name
            if directory == self.path.parent or not version.isdigit():
                continue
            if int(version) > PARSER_VERSION or not candidate.is_file():
                continue
            with contextlib.suppress(OSError):
                found.append((candidate.stat().st_mtime_ns, candidate))
        return max(found)[1] if found else None

    def manifest(self, cursor: duckdb.DuckDBPyConnection) -> dict[int, FileState]:
        """Attach the cache read-only and return its file states by file id ({} if unusable)."""
        if not self.path.exists():
            return {}
        try:
            cursor.execute(f"ATTACH '{_quote(self.path)}' AS {ALIAS} (READ_ONLY)")
            self.attached = True
            rows = cursor.execute(f"SELECT {', '.join(FILE_COLUMNS)} FROM {ALIAS}.files").fetchall()
        except Exception:
            self.detach(cursor)
            self.status = "rebuilt"
            return {}
        self.status = "loaded"
        return {row[0]: FileState(*row) for row in rows}

    def expose(self, cursor: duckdb.DuckDBPyConnection, archive_key: str = "") -> bool:
        """Serve every cached table as a view over the attached file (nothing changed on disk).
        False when the cache lacks a table or holds another state of the archive
        (``archive_key``); then use :meth:`copy_rows`."""
        try:
            meta = dict(cursor.execute(f"SELECT key, value FROM {ALIAS}.meta").fetchall())
        except Exception:
            return False
        if meta.get("archive_key", "") != archive_key:
            return False
        try:
            for table in STORE_TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS main.{table}")
                cursor.execute(
                    f"CREATE OR REPLACE VIEW main.{table} AS SELECT * FROM {ALIAS}.{table}"
                )
        except Exception:
            self._restore_tables(cursor)
            return False
        try:
            self.meta = meta
            if self.meta.get("activity_key"):
                cursor.execute(
                    f"CREATE OR REPLACE VIEW main.cached_{ACTIVITY_TABLE} AS "
                    f"SELECT * FROM {ALIAS}.{ACTIVITY_TABLE}"
                )
        except Exception:
            self.meta = {}
        return True

    def adopt_activity(self, cursor: duckdb.DuckDBPyConnection, key: str) -> bool:
        """Serve the saved activity split as ``call_activity`` if it was computed under ``key``
        (same rules and prices). Only that table: insights need the full set, recomputed."""
        if not self.attached or not key or self.meta.get("activity_key") != key:
            return False
        source = f"{ALIAS}.{ACTIVITY_TABLE}"
        cursor.execute(f"CREATE OR REPLACE VIEW main.{ACTIVITY_TABLE} AS SELECT * FROM {source}")
        return True

    @staticmethod
    def forget_activity(cursor: duckdb.DuckDBPyConnection) -> None:
        """Drop the views of a saved activity split (the calls changed: recompute it)."""
        for name in (ACTIVITY_TABLE, f"cached_{ACTIVITY_TABLE}"):
            with contextlib.suppress(Exception):
                cursor.execute(f"DROP VIEW IF EXISTS main.{name}")

    def copy_rows(self, cursor: duckdb.DuckDBPyConnection, file_ids: list[int]) -> bool:
        """Copy the cached raw rows of ``file_ids`` into the in-memory tables, then detach."""
        try:
            cursor.execute(
                "CREATE OR REPLACE TEMP TABLE keep_ids AS SELECT unnest(?) AS file_id", [file_ids]
            )
            for table in RAW_TABLES:
                cursor.execute(
                    f"INSERT INTO main.{table} SELECT * FROM {ALIAS}.{table} "
                    "WHERE file_id IN (SELECT file_id FROM keep_ids)"
                )
            return True
        except Exception:
            self.status = "rebuilt"
            for table in RAW_TABLES:
                cursor.execute(f"DELETE FROM main.{table}")
            return False
        finally:
            self.detach(cursor)

    def copy_out(self, cursor: duckdb.DuckDBPyConnection) -> bool:
        """Copy the exposed tables into memory beside their views, for :meth:`materialize` to
        swap in. Reads only the attached file, so the store's lock need not be held: a live
        session does this in the background after start-up, and its first change does not
        wait for the copy (seconds on a large history). False when there is nothing to copy or
        the copy failed (then :meth:`materialize` copies)."""
        with self._copy_lock:
            if not self.attached or self._copied:
                return self._copied
            try:
                for table in STORE_TABLES:
                    _copy_table(cursor, table, f"{COPY_PREFIX}{table}")
            except Exception:
                self._drop_copies(cursor)
                return False
            self._copied = True
            return True

    def materialize(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Turn exposed views into in-memory tables (before the raw tables change): the copies
        :meth:`copy_out` made, else copies made now."""
        with self._copy_lock:
            if not self.attached:
                return
            for table in STORE_TABLES:
                cursor.execute(f"DROP VIEW IF EXISTS main.{table}")
                if self._copied:
                    cursor.execute(f"ALTER TABLE main.{COPY_PREFIX}{table} RENAME TO {table}")
                else:
                    _copy_table(cursor, table, table)
            self._copied = False
            self.forget_activity(cursor)  # it belongs to the old calls
            self.detach(cursor)

    def _drop_copies(self, cursor: duckdb.DuckDBPyConnection) -> None:
        for table in STORE_TABLES:
            with contextlib.suppress(Exception):
                cursor.execute(f"DROP TABLE IF EXISTS main.{COPY_PREFIX}{table}")
        self._copied = False

    def detach(self, cursor: duckdb.DuckDBPyConnection) -> None:
        if self.attached:
            with contextlib.suppress(Exception):
                cursor.execute(f"DETACH {ALIAS}")
            self.attached = False

    @staticmethod
    def _restore_tables(cursor: duckdb.DuckDBPyConnection) -> None:
        from tokentree.data.sqlfiles import statements

        for table in STORE_TABLES:
            with contextlib.suppress(Exception):
                cursor.execute(f"DROP VIEW IF EXISTS main.{table}")
        for statement in [*statements("raw_tables"), *statements("archive_tables")]:
            cursor.execute(statement)

    def saved_ns(self) -> int | None:
        """When a run last saw the files of the manifest (the file's modification time: saving
        or :meth:`touch` sets it); None without a cache file."""
        try:
            return self.path.stat().st_mtime_ns
        except OSError:
            return None

    def touch(self) -> None:
        """Record that a run saw the manifest's files again (nothing to save)."""
        with contextlib.suppress(OSError):
            os.utime(self.path)

    def save(
        self,
        cursor: duckdb.DuckDBPyConnection,
        *,
        activity_key: str | None = None,
        archive_key: str = "",
    ) -> None:
        """Write the raw tables, the derived calls/prompts, the manifests and (when its key is
        given) the activity split, atomically. ``archive_key``: the state of the archive whose
        rows the raw tables hold (:meth:`expose` serves the cache for that state only)."""
        directory = self.path.parent
        temporary = directory / f".{self.path.stem}.{uuid.uuid4().hex}.tmp"
        tables = list(STORE_TABLES)
        if activity_key:
            tables.append(ACTIVITY_TABLE)
        meta = {"activity_key": activity_key or "", "archive_key": archive_key}
        try:
            directory.mkdir(parents=True, exist_ok=True)
            cursor.execute(f"ATTACH '{_quote(temporary)}' AS out")
            try:
                for table in tables:
                    cursor.execute(f"CREATE TABLE out.{table} AS SELECT * FROM main.{table}")
                cursor.execute(
                    "CREATE TABLE out.meta AS SELECT unnest($1) AS key, unnest($2) AS value",
                    [list(meta), list(meta.values())],
                )
            finally:
                cursor.execute("DETACH out")
            os.replace(temporary, self.path)
        except Exception:
            self.status = "unwritable"
            with contextlib.suppress(OSError):
                temporary.unlink()
            with contextlib.suppress(OSError):
                Path(f"{temporary}.wal").unlink()


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
