"""The archive: the raw rows of files that vanished, kept under the user data directory.

Assistants delete their logs (Claude Code after 30 days); tokentree keeps every call it counted.
When a read finds a known file gone, its raw rows (still in the store, or in the persisted
cache) are written to a new *segment*: a directory of Parquet files, one per raw table plus a
manifest ``files.parquet`` (file id, source, path, when it was last seen), made in ``tmp/`` and
renamed into ``segments/`` whole, so a reader never sees half of one. Nothing is written while
files stay put: a cold scan costs one directory listing.

A read loads, for each archived file of the roots read that is not on disk again, its rows from
the newest segment holding it, into the same raw tables as a file's rows (their call keys are
set as for any row read, so the usual deduplication applies) and lists it in
``archived_files``. Segments are rewritten only by ``tokentree forget``
(:mod:`tokentree.data.history.forget`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from tokentree.data.sqlfiles import sql, statements
from tokentree.data.store import cache
from tokentree.data.store.cache import RAW_TABLES

if TYPE_CHECKING:
    import duckdb

MANIFEST = "files"
ARCHIVE_TABLE = "archived_files"
"""The store's list of the archived files whose rows it holds (``sql/archive_tables.sql``)."""


def quote(path: Path | str) -> str:
    """A path inside a single-quoted SQL string."""
    return str(path).replace("'", "''")


def columns(cursor: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    """The column names of a table, view or query."""
    return [row[0] for row in cursor.execute(f"DESCRIBE {relation}").fetchall()]


class Archive:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.reflected: list[str] = []
        """The segments whose rows the store holds (loaded, or written by this process)."""

    @property
    def segments_dir(self) -> Path:
        return self.directory / "segments"

    def segments(self) -> list[Path]:
        """Complete segments, oldest first (names start with their write time)."""
        try:
            names = sorted(os.listdir(self.segments_dir))
        except OSError:
            return []
        return [self.segments_dir / n for n in names if not n.startswith(".")]

    @staticmethod
    def key_of(names: Iterable[str]) -> str:
        """ "" for an empty archive (what a cache saved without one says)."""
        names = list(names)
        if not names:
            return ""
        return hashlib.blake2b("\0".join(sorted(names)).encode(), digest_size=10).hexdigest()

    def key(self) -> str:
        """Identifies the archive on disk (a cache saved for another key is not served)."""
        return self.key_of(p.name for p in self.segments())

    def reflected_key(self) -> str:
        """The key of what the store holds: saved with the cache."""
        return self.key_of(self.reflected)

    # ------------------------------------------------------------------ writing

    def keep(
        self, cursor: duckdb.DuckDBPyConnection, file_ids: list[int], *, schema: str, seen_ns: int
    ) -> Path | None:
        """Write the rows of ``file_ids`` (in ``schema``'s raw tables and ``files``: ``main``,
        or the attached cache) as a new segment; ``seen_ns``: when they were last seen at the
        latest. Returns the segment (None: nothing to keep)."""
        if not file_ids:
            return None
        cursor.execute(
            "CREATE OR REPLACE TEMP TABLE archive_ids AS SELECT unnest($1::UBIGINT[]) AS file_id",
            [file_ids],
        )
        manifest = sql(
            "archive_manifest",
            package=__package__,
            schema=schema,
            seen_us=int(seen_ns // 1000),
            version=int(cache.PARSER_VERSION),
        )
        target = self.write(cursor, schema, "SELECT file_id FROM archive_ids", manifest)
        name = target.name
        self.reflected.append(name)
        return target

    def write(
        self, cursor: duckdb.DuckDBPyConnection, schema: str, file_ids: str, manifest: str
    ) -> Path:
        """A new segment: the rows of the files ``file_ids`` (a query) in ``schema``'s raw
        tables, and ``manifest`` (a query) as its list of files."""
        name = f"{time.time_ns():020d}-{os.urandom(6).hex()}"
        temporary = self.directory / "tmp" / name
        temporary.mkdir(parents=True, exist_ok=True)
        try:
            for table in RAW_TABLES:
                names = [c for c in columns(cursor, f"{schema}.{table}") if c != "k"]
                cursor.execute(
                    f"COPY (SELECT {', '.join(names)} FROM {schema}.{table} "
                    f"WHERE file_id IN ({file_ids})) "
                    f"TO '{quote(temporary / table)}.parquet' (FORMAT parquet)"
                )
            cursor.execute(
                f"COPY ({manifest}) TO '{quote(temporary / MANIFEST)}.parquet' (FORMAT parquet)"
            )
            self.segments_dir.mkdir(parents=True, exist_ok=True)
            target = self.segments_dir / name
            os.replace(temporary, target)
        except BaseException:
            shutil.rmtree(temporary, ignore_errors=True)
            raise
        return target

    def adopt(self, cursor: duckdb.DuckDBPyConnection, segment: Path) -> list[int]:
        """List the files of a segment this process wrote (their rows are in the store)."""
        path = quote(segment / f"{MANIFEST}.parquet")
        adopt = statements(
            "archive_adopt", package=__package__, archive_table=ARCHIVE_TABLE, manifest=path
        )
        for statement in adopt:
            cursor.execute(statement)
        return [r[0] for r in cursor.execute(f"SELECT file_id FROM '{path}'").fetchall()]

    # ------------------------------------------------------------------ reading

    def file_ids(self, cursor: duckdb.DuckDBPyConnection) -> set[int]:
        """Every file the archive holds."""
        manifests = [str(s / f"{MANIFEST}.parquet") for s in self.segments()]
        if not manifests:
            return set()
        query = "SELECT DISTINCT file_id FROM read_parquet($1, union_by_name = true)"
        return {row[0] for row in cursor.execute(query, [manifests]).fetchall()}

    def load(
        self,
        cursor: duckdb.DuckDBPyConnection,
        roots: list[tuple[str, str]],
        present: Iterable[int],
    ) -> list[int]:
        """Insert the archived rows of files under ``roots`` (``(source, path)``) that are not
        ``present`` into the raw tables (key unset), list them in ``archived_files``; returns
        their file ids."""
        segments = self.segments()
        self.reflected = [p.name for p in segments]
        cursor.execute(f"DELETE FROM {ARCHIVE_TABLE}")
        if not segments:
            return []
        chosen = choose(cursor, segments, present)
        cursor.execute(
            "CREATE OR REPLACE TEMP TABLE archive_roots AS "
            "SELECT unnest($1::VARCHAR[]) AS source, unnest($2::VARCHAR[]) AS root",
            [[s for s, _ in roots], [r.rstrip(os.sep) for _, r in roots]],
        )
        cursor.execute(sql("archive_outside_roots", package=__package__, chosen=chosen))
        found = [r[0] for r in cursor.execute(f"SELECT file_id FROM {chosen}").fetchall()]
        if found:
            insert_rows(cursor, chosen, "main")
            cursor.execute(
                f"INSERT INTO {ARCHIVE_TABLE} SELECT file_id, source, path, last_seen FROM {chosen}"
            )
        return found


def choose(cursor: duckdb.DuckDBPyConnection, segments: list[Path], present: Iterable[int]) -> str:
    """The temp table ``archive_chosen``: each archived file not ``present`` with the newest
    segment holding it (``segment``, its directory)."""
    manifests = [str(s / f"{MANIFEST}.parquet") for s in segments]
    cursor.execute(
        "CREATE OR REPLACE TEMP TABLE archive_present AS SELECT unnest($1::UBIGINT[]) AS file_id",
        [sorted(set(present))],
    )
    cursor.execute(sql("archive_choose", package=__package__), [manifests])
    return "archive_chosen"


def insert_rows(cursor: duckdb.DuckDBPyConnection, chosen: str, schema: str) -> None:
    """Insert the rows of the files in ``chosen`` from their segments into ``schema``'s raw
    tables, by name: a column the archive lacks (added by a later version) takes its default;
    ``k`` is left unset (set as for any row read)."""
    segments = [r[0] for r in cursor.execute(f"SELECT DISTINCT segment FROM {chosen}").fetchall()]
    for table in RAW_TABLES:
        paths = [os.path.join(s, f"{table}.parquet") for s in segments]
        source = f"read_parquet({_list(paths)}, filename = true, union_by_name = true)"
        wanted = set(columns(cursor, f"{schema}.{table}")) - {"k"}
        names = [c for c in columns(cursor, f"SELECT * FROM {source}") if c in wanted]
        selected = ", ".join(f"r.{n}" for n in names)
        cursor.execute(
            sql(
                "archive_rows",
                package=__package__,
                schema=schema,
                table=table,
                names=selected,
                source=source,
                chosen=chosen,
            )
        )


def _list(paths: list[str]) -> str:
    return "[" + ", ".join(f"'{quote(p)}'" for p in paths) + "]"


def remove(segments: Iterable[Path], directory: Path) -> None:
    """Delete segments: each moved out of ``segments/`` first, so no reader sees part of it."""
    trash = directory / "tmp"
    trash.mkdir(parents=True, exist_ok=True)
    for segment in segments:
        with contextlib.suppress(OSError):
            moved = trash / f"gone-{segment.name}"
            os.replace(segment, moved)
            shutil.rmtree(moved, ignore_errors=True)
