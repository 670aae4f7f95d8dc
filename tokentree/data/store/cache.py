"""The persisted columnar cache: what the last run read, keyed by file, and what it derived.

One DuckDB database file per set of roots, under the user cache directory, in a folder named by
the parser version and DuckDB version (a bump of either means a rebuild). It holds the raw tables
(one row per call and file, so changed files can be replaced) and the derived ``calls`` and
``prompts`` of that state, so that a run where nothing changed reads neither logs nor raw rows:
the store then gets views over the attached file (``expose``). The later derived stages (prices,
turns, the activity split, the insight tables) are kept too when current, each under a key
naming the view, prices and rules it was computed for (``Workspace.stage_keys``), and served the
same way when the key matches (``expose_stage``); otherwise they are rebuilt. It is written to a
temporary file and renamed into place, so readers never see half a cache and concurrent
tokentree processes never block each other. Anything wrong with it (missing, corrupt, from
another version) means it is ignored and rebuilt; it is never fatal.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from tokentree.data.read.discovery import DirRecord
from tokentree.data.read.scan import FileState
from tokentree.data.sqlfiles import sql, statements
from tokentree.data.store.background import Background
from tokentree.data.store.derived import PERSISTED

if TYPE_CHECKING:
    from collections.abc import Iterable

    import duckdb

    from tokentree.data.store.store import UsageStore

PARSER_VERSION = 10
"""Bump when the meaning of the cached tables changes: every cache is rebuilt."""

WALK_VERSION = 2
"""The layout of the walk memory file (:meth:`PersistedCache.save_walk`); another is ignored."""
RAW_TABLES = ("raw_calls", "raw_prompts", "raw_events", "raw_agents", "raw_limits")
DERIVED_TABLES = ("calls", "prompts")
STORE_TABLES = (*RAW_TABLES, *DERIVED_TABLES, "files", "archived_files")
RAW_SAVED = (*RAW_TABLES, "files", "archived_files")
"""What a save may copy as soon as the files are read (:class:`EarlySave`)."""
"""Everything saved besides the derived stages: the raw tables (archived files' rows included),
``calls``/``prompts``, the manifest of the files on disk and the list of archived files."""
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
    declared = f"CREATE TABLE IF NOT EXISTS {table} ("
    schema = next((s for s in statements("raw_tables", package=__package__) if declared in s), None)
    if schema is None:
        cursor.execute(f"CREATE OR REPLACE TABLE main.{name} AS SELECT * FROM {ALIAS}.{table}")
        return
    columns = schema[schema.index(declared) + len(declared) :]
    cursor.execute(f"DROP TABLE IF EXISTS main.{name}")
    cursor.execute(f"CREATE TABLE main.{name} ({columns}")
    cursor.execute(f"INSERT INTO main.{name} BY NAME SELECT * FROM {ALIAS}.{table}")


def read_states(cursor: duckdb.DuckDBPyConnection, table: str = "files") -> dict[int, FileState]:
    """A manifest's file states by file id (``files``: the store's own)."""
    rows = cursor.execute(f"SELECT {', '.join(FILE_COLUMNS)} FROM {table}").fetchall()
    return {row[0]: FileState(*row) for row in rows}


def _roots_key(roots: list[tuple[str, Path]]) -> str:
    real = sorted({f"{source}:{os.path.realpath(path)}" for source, path in roots})
    return hashlib.blake2b("\0".join(real).encode(), digest_size=10).hexdigest()


class PersistedCache:
    def __init__(self, directory: Path, roots: list[tuple[str, Path]]) -> None:
        """One cache per set of (source name, root) pairs."""
        from tokentree.data.engine import duckdb

        version_dir = directory / f"v{PARSER_VERSION}-duckdb{duckdb.__version__}"
        self.path = version_dir / f"{_roots_key(roots)}.duckdb"
        self.walk_path = version_dir / f"{_roots_key(roots)}.walk"
        """What the last walk found in each directory (:class:`DirRecord`), marshalled."""
        self.status = "cold"
        """``cold`` (none yet), ``loaded``, ``rebuilt`` (unusable, ignored) or ``unwritable``."""
        self.attached = False
        self.meta: dict[str, str] = {}
        """Key/value facts saved with the cache: ``stage:<name>`` (the key of a persisted
        stage), ``money:<name>`` (the type its money was computed as) and ``generation`` (new
        with every save: names the data the file holds)."""
        self.exposed: set[str] = set()
        """The persisted stages served as views over the attached file."""
        self._copy_lock = threading.Lock()
        """Held while exposed tables are copied into memory (taken after the store's lock)."""
        self._copied = False

    def previous(self) -> Path | None:
        """The newest cache of these roots written by an earlier parser version (or another
        DuckDB version), if any: after an upgrade its files that are gone are archived from it
        (:func:`tokentree.data.read.ingest`), the rest is read again."""
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

    def load_walk(self) -> dict[str, DirRecord]:
        """The directories the last walk remembered ({} when none or unreadable)."""
        try:
            with open(self.walk_path, "rb") as handle:
                data = marshal.load(handle)
            if not isinstance(data, dict) or data.get("version") != WALK_VERSION:
                return {}
            return {key: DirRecord(*value) for key, value in data["dirs"].items()}
        except (OSError, EOFError, ValueError, TypeError, KeyError, AttributeError):
            return {}

    def save_walk(self, dirs: dict[str, DirRecord]) -> None:
        """Remember a walk's directories (atomically; a failure only costs the next walk)."""
        data = {
            "version": WALK_VERSION,
            "dirs": {
                key: (r.mtime_ns, r.subdirs, r.pruned, r.names, r.formats)
                for key, r in dirs.items()
            },
        }
        temporary = self.walk_path.parent / f".{self.walk_path.name}.{os.urandom(16).hex()}.tmp"
        try:
            self.walk_path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as handle:
                marshal.dump(data, handle)
            os.replace(temporary, self.walk_path)
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink()

    def attach(self, cursor: duckdb.DuckDBPyConnection) -> bool:
        """Attach the cache read-only (once) and read its ``meta``; False if unusable."""
        if self.attached:
            return True
        if not self.path.exists():
            return False
        try:
            cursor.execute(f"ATTACH '{_quote(self.path)}' AS {ALIAS} (READ_ONLY)")
            self.attached = True
            self.meta = dict(cursor.execute(f"SELECT key, value FROM {ALIAS}.meta").fetchall())
        except Exception:
            self.detach(cursor)
            self.status = "rebuilt"
            return False
        self.status = "loaded"
        return True

    def manifest(self, cursor: duckdb.DuckDBPyConnection) -> dict[int, FileState]:
        """Attach the cache read-only and return its file states by file id ({} if unusable)."""
        if not self.attach(cursor):
            return {}
        try:
            return read_states(cursor, f"{ALIAS}.files")
        except Exception:
            self.detach(cursor)
            self.status = "rebuilt"
            return {}

    def manifest_summary(self, cursor: duckdb.DuckDBPyConnection) -> tuple[int, int, int, int]:
        """The attached manifest's files, skipped lines, files with skipped lines and files
        ending in an incomplete line (what a read reports), without reading its rows."""
        row = cursor.execute(sql("manifest_summary", package=__package__, alias=ALIAS)).fetchone()
        return (int(row[0]), int(row[1]), int(row[2]), int(row[3])) if row else (0, 0, 0, 0)

    def expose(self, cursor: duckdb.DuckDBPyConnection, archive_key: str = "") -> bool:
        """Serve every cached table as a view over the attached file. False when the cache
        lacks a table or holds another state of the archive (``archive_key``); then use
        :meth:`copy_rows`."""
        if not self.attached or self.meta.get("archive_key", "") != archive_key:
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
        return True

    def expose_stage(self, cursor: duckdb.DuckDBPyConnection, name: str, key: str) -> bool:
        """Serve the persisted stage ``name`` as views over the attached file if it was saved
        under ``key``; False (nothing done) otherwise."""
        if not self.attached or not key or self.meta.get(f"stage:{name}") != key:
            return False
        try:
            for table in PERSISTED[name]:
                source = f"{ALIAS}.{table}"
                cursor.execute(f"CREATE OR REPLACE VIEW main.{table} AS SELECT * FROM {source}")
        except Exception:
            for table in PERSISTED[name]:
                with contextlib.suppress(Exception):
                    cursor.execute(f"DROP VIEW IF EXISTS main.{table}")
            return False
        self.exposed.add(name)
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
                for table in self._served():
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
            for table in self._served():
                cursor.execute(f"DROP VIEW IF EXISTS main.{table}")
                if self._copied:
                    cursor.execute(f"ALTER TABLE main.{COPY_PREFIX}{table} RENAME TO {table}")
                else:
                    _copy_table(cursor, table, table)
            self._copied = False
            self.detach(cursor)

    def _served(self) -> list[str]:
        """Every table served as a view over the attached file."""
        stages = [table for name in PERSISTED if name in self.exposed for table in PERSISTED[name]]
        return [*STORE_TABLES, *stages]

    def _drop_copies(self, cursor: duckdb.DuckDBPyConnection) -> None:
        for table in self._served():
            with contextlib.suppress(Exception):
                cursor.execute(f"DROP TABLE IF EXISTS main.{COPY_PREFIX}{table}")
        self._copied = False

    def detach(self, cursor: duckdb.DuckDBPyConnection) -> None:
        if self.attached:
            with contextlib.suppress(Exception):
                cursor.execute(f"DETACH {ALIAS}")
            self.attached = False
            self.exposed = set()

    @staticmethod
    def _restore_tables(cursor: duckdb.DuckDBPyConnection) -> None:
        for table in STORE_TABLES:
            with contextlib.suppress(Exception):
                cursor.execute(f"DROP VIEW IF EXISTS main.{table}")
        for statement in [
            *statements("raw_tables", package=__package__),
            *statements("archive_tables", package=__package__),
        ]:
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
        stages: dict[str, tuple[str, str]] | None = None,
        *,
        archive_key: str = "",
        found: str = "",
        writer: CacheWriter | None = None,
    ) -> bool:
        """Write the raw tables, the derived calls/prompts, the manifests and the persisted
        ``stages`` (name → (key, money type), each current), atomically. ``archive_key``: the
        state of the archive whose rows the raw tables hold (:meth:`expose` serves the cache
        for that state only). ``found``: the manifest's key (:mod:`.found_key`), which a walk
        finding it unchanged matches. ``writer``: a save already begun (its tables are not
        copied again). False when it could not be written."""
        tables = list(STORE_TABLES)
        meta = {"archive_key": archive_key, "generation": os.urandom(16).hex(), "found": found}
        for name, (key, money) in (stages or {}).items():
            tables += PERSISTED[name]
            meta[f"stage:{name}"], meta[f"money:{name}"] = key, money
        try:
            writer = writer or CacheWriter(self, cursor)
            writer.copy(cursor, tables)
            writer.commit(cursor, meta)
            return True
        except Exception:
            self.status = "unwritable"
            if writer is not None:
                writer.abort(cursor)
            return False

    def writer(self, cursor: duckdb.DuckDBPyConnection) -> CacheWriter | None:
        """A save begun (its file attached), for tables to be copied before :meth:`save`
        finishes it; None when the file cannot be made (then :meth:`save` tries again)."""
        try:
            return CacheWriter(self, cursor)
        except Exception:
            return None


OUT = "cache_out"
"""What the file being written is attached as."""


class EarlySave:
    """A save begun before the data is complete: tables that are final copied on threads
    (:class:`~.background.Background`, each on a cursor of its own, no lock held) while the
    caller goes on; :meth:`finish` waits for them."""

    def __init__(self, writer: CacheWriter) -> None:
        self.writer = writer
        self._copies: list[Background[None]] = []

    def copy(self, store: UsageStore, tables: Iterable[str]) -> None:
        tables = tuple(tables)
        self._copies.append(
            Background(lambda: self.writer.copy(store.cursor(), tables), "tokentree-save")
        )

    def finish(self, cursor: duckdb.DuckDBPyConnection) -> CacheWriter | None:
        """The writer once every copy is done; None (the file removed) if one failed."""
        failed = False
        for copy in self._copies:
            try:
                copy.result()
            except Exception:
                failed = True
        if failed:
            self.writer.abort(cursor)
            return None
        return self.writer


class CacheWriter:
    """One save: tables copied into a new file beside the cache, which replaces it on
    :meth:`commit` (atomically) or is removed on :meth:`abort`. The file is attached to the
    database, so any cursor of it may go on with the save."""

    def __init__(self, cache: PersistedCache, cursor: duckdb.DuckDBPyConnection) -> None:
        self.cache = cache
        directory = cache.path.parent
        self.temporary = directory / f".{cache.path.stem}.{os.urandom(16).hex()}.tmp"
        self.copied: set[str] = set()
        directory.mkdir(parents=True, exist_ok=True)
        cursor.execute(f"ATTACH '{_quote(self.temporary)}' AS {OUT}")

    def copy(self, cursor: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> None:
        for table in tables:
            if table not in self.copied:
                cursor.execute(f"CREATE TABLE {OUT}.{table} AS SELECT * FROM main.{table}")
                self.copied.add(table)

    def commit(self, cursor: duckdb.DuckDBPyConnection, meta: dict[str, str]) -> None:
        cursor.execute(
            f"CREATE TABLE {OUT}.meta AS"
            " SELECT unnest($1::VARCHAR[]) AS key, unnest($2::VARCHAR[]) AS value",
            [list(meta), list(meta.values())],
        )
        cursor.execute(f"DETACH {OUT}")
        os.replace(self.temporary, self.cache.path)
        self.cache.meta = meta

    def abort(self, cursor: duckdb.DuckDBPyConnection) -> None:
        with contextlib.suppress(Exception):
            cursor.execute(f"DETACH DATABASE IF EXISTS {OUT}")
        with contextlib.suppress(OSError):
            self.temporary.unlink()
        with contextlib.suppress(OSError):
            Path(f"{self.temporary}.wal").unlink()


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")
