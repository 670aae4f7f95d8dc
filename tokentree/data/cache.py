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
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from tokentree.data.scan import FileState

if TYPE_CHECKING:
    import duckdb

PARSER_VERSION = 3
"""Bump when the meaning of the cached tables changes: every cache is rebuilt."""

RAW_TABLES = ("raw_calls", "raw_prompts", "raw_events")
DERIVED_TABLES = ("calls", "prompts")
FILE_COLUMNS = (
    "file_id", "path", "source", "size", "mtime_ns", "end_offset", "tail_sig", "lines", "skipped",
    "truncated_tail", "error",
)  # fmt: skip
ALIAS = "snap"


def _roots_key(roots: list[Path]) -> str:
    real = sorted({os.path.realpath(r) for r in roots})
    return hashlib.blake2b("\0".join(real).encode(), digest_size=10).hexdigest()


class PersistedCache:
    def __init__(self, directory: Path, roots: list[Path]) -> None:
        import duckdb

        version_dir = directory / f"v{PARSER_VERSION}-duckdb{duckdb.__version__}"
        self.path = version_dir / f"{_roots_key(roots)}.duckdb"
        self.status = "cold"
        """``cold`` (none yet), ``loaded``, ``rebuilt`` (unusable, ignored) or ``unwritable``."""
        self.attached = False

    def manifest(self, cursor: duckdb.DuckDBPyConnection) -> dict[str, FileState]:
        """Attach the cache read-only and return its file states by path ({} if unusable)."""
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
        return {row[1]: FileState(*row) for row in rows}

    def expose(self, cursor: duckdb.DuckDBPyConnection) -> bool:
        """Serve every cached table as a view over the attached file (nothing changed on disk).
        False when the cache lacks a table; then use :meth:`copy_rows`."""
        try:
            for table in (*RAW_TABLES, *DERIVED_TABLES):
                cursor.execute(f"DROP TABLE IF EXISTS main.{table}")
                cursor.execute(
                    f"CREATE OR REPLACE VIEW main.{table} AS SELECT * FROM {ALIAS}.{table}"
                )
        except Exception:
            self._restore_tables(cursor)
            return False
        return True

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

    def materialize(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Turn exposed views into in-memory tables (before the raw tables change)."""
        if not self.attached:
            return
        for table in (*RAW_TABLES, *DERIVED_TABLES):
            cursor.execute(f"DROP VIEW IF EXISTS main.{table}")
            cursor.execute(f"CREATE TABLE main.{table} AS SELECT * FROM {ALIAS}.{table}")
        self.detach(cursor)

    def detach(self, cursor: duckdb.DuckDBPyConnection) -> None:
        if self.attached:
            with contextlib.suppress(Exception):
                cursor.execute(f"DETACH {ALIAS}")
            self.attached = False

    @staticmethod
    def _restore_tables(cursor: duckdb.DuckDBPyConnection) -> None:
        from tokentree.data.sqlfiles import statements

        for table in (*RAW_TABLES, *DERIVED_TABLES):
            with contextlib.suppress(Exception):
                cursor.execute(f"DROP VIEW IF EXISTS main.{table}")
        for statement in statements("raw_tables"):
            cursor.execute(statement)

    def save(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Write the raw tables, the derived calls/prompts and the manifest atomically."""
        directory = self.path.parent
        temporary = directory / f".{self.path.stem}.{uuid.uuid4().hex}.tmp"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            cursor.execute(f"ATTACH '{_quote(temporary)}' AS out")
            try:
                for table in (*RAW_TABLES, *DERIVED_TABLES, "files"):
                    cursor.execute(f"CREATE TABLE out.{table} AS SELECT * FROM main.{table}")
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
