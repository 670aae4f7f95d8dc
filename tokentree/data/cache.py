"""The persisted columnar cache: the raw tables of the last run, keyed by file.

One DuckDB database file per set of roots, under the user cache directory, in a folder named by
the parser version and DuckDB version (a bump of either means a rebuild). It is written to a
temporary file and renamed into place, so readers never see half a cache and concurrent
tokentree processes never block each other. Anything wrong with it (missing, corrupt, from
another version) means it is ignored and rebuilt; it is never fatal.
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

PARSER_VERSION = 1
"""Bump when the meaning of the raw tables changes: every cache is rebuilt."""

TABLES = ("raw_calls", "raw_prompts", "raw_events")
FILE_COLUMNS = (
    "file_id",
    "path",
    "source",
    "size",
    "mtime_ns",
    "end_offset",
    "tail_sig",
    "lines",
    "skipped",
    "truncated_tail",
    "error",
)


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

    def manifest(self, cursor: duckdb.DuckDBPyConnection) -> dict[str, FileState]:
        """Attach the cache read-only and return its file states by path ({} if unusable)."""
        if not self.path.exists():
            return {}
        try:
            cursor.execute(f"ATTACH '{_quote(self.path)}' AS snap (READ_ONLY)")
            rows = cursor.execute(f"SELECT {', '.join(FILE_COLUMNS)} FROM snap.files").fetchall()
        except Exception:
            self._detach(cursor)
            self.status = "rebuilt"
            return {}
        self.status = "loaded"
        states = {}
        for row in rows:
            state = FileState(*row)
            states[state.path] = state
        return states

    def copy_rows(self, cursor: duckdb.DuckDBPyConnection, file_ids: list[int]) -> bool:
        """Copy the cached raw rows of ``file_ids`` into the in-memory tables, then detach."""
        try:
            cursor.execute(
                "CREATE OR REPLACE TEMP TABLE keep_ids AS SELECT unnest(?) AS file_id", [file_ids]
            )
            for table in TABLES:
                cursor.execute(
                    f"INSERT INTO {table} SELECT * FROM snap.{table} "
                    "WHERE file_id IN (SELECT file_id FROM keep_ids)"
                )
            return True
        except Exception:
            self.status = "rebuilt"
            for table in TABLES:
                cursor.execute(f"DELETE FROM {table}")
            return False
        finally:
            self._detach(cursor)

    def _detach(self, cursor: duckdb.DuckDBPyConnection) -> None:
        with contextlib.suppress(Exception):
            cursor.execute("DETACH snap")

    def save(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Write the in-memory raw tables and the ``files`` manifest atomically."""
        directory = self.path.parent
        temporary = directory / f".{self.path.stem}.{uuid.uuid4().hex}.tmp"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            cursor.execute(f"ATTACH '{_quote(temporary)}' AS out")
            try:
                for table in (*TABLES, "files"):
                    cursor.execute(f"CREATE TABLE out.{table} AS SELECT * FROM {table}")
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
