"""``tokentree sync``: this machine's calls as one Parquet file per (device, source, month).

A file's name is its content's hash (``calls-<hash>.parquet``), so syncing again writes only
the partitions whose calls changed, and a reader that lists a partition between the new file
appearing and the old one being deleted sees the same calls twice, which the merge
deduplicates by call key. A file is written under a hidden temporary name and renamed (on an
object store, where an object appears whole, it is written in place). Only counts, times,
models, project names, tool names and the activity split are written (docs/sync.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tokentree.data.sqlfiles import sql, statements
from tokentree.data.store.store import DEPTH_TURNS, View
from tokentree.data.sync.location import Location, partition_dir
from tokentree.model.anonymize import project_alias
from tokentree.model.labels import project_name

if TYPE_CHECKING:
    from collections.abc import Mapping

    import duckdb
    import pyarrow as pa
    import pyarrow.fs as pafs

    from tokentree.data.store.store import UsageStore

PARTITION_COLUMNS = ("source", "month")
PREFIX = "calls-"


@dataclass(slots=True)
class SyncReport:
    device: str
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: int = 0
    calls: int = 0


def write_partitions(
    store: UsageStore,
    location: Location,
    device: str,
    *,
    rules: Mapping[str, str] | None = None,
    anonymize_projects: bool = False,
) -> SyncReport:
    """Write this machine's calls (not other devices' merged ones) under ``location``."""
    from tokentree.model.activity import CATEGORIES

    report = SyncReport(device)
    with store.lock:
        store.build(View(), depth=DEPTH_TURNS)
        store.derived.ensure_activity(rules)
        cursor = store.cursor()
        sync_out, session_dirs = statements("rows", package=__package__)
        cursor.execute(session_dirs)
        _session_projects(cursor, anonymize_projects)
        cursor.execute(sync_out, {"categories": list(CATEGORIES)})
        keys = cursor.execute(
            "SELECT source, month, count(*) FROM sync_out GROUP BY ALL ORDER BY ALL"
        ).fetchall()
        tables = []
        for source, month, _ in keys:
            relation = cursor.sql(
                sql("partition_rows", package=__package__), params=[source, month]
            )
            tables.append((source, month, _arrow(relation)))
        for table in ("sync_out", "sync_projects", "sync_session_dirs"):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
    for source, month, table in tables:
        report.calls += table.num_rows
        _write_one(location, partition_dir(location, device, source, month), table, report)
    return report


def _arrow(relation: duckdb.DuckDBPyRelation) -> pa.Table:
    """A relation's rows as an Arrow table (the method's name differs across DuckDB 1.x/2.x)."""
    from tokentree.data.engine import with_arrow

    with_arrow()
    fetch = getattr(relation, "to_arrow_table", None) or relation.arrow
    return fetch()


def _session_projects(cursor: duckdb.DuckDBPyConnection, anonymize: bool) -> None:
    """``sync_projects(session_id, project)`` from ``sync_session_dirs``: each session's
    project as its label names it (the last part of its directory, else the project its source
    logged), or a stable hash of that."""
    rows = cursor.execute("SELECT session_id, cwd, project FROM sync_session_dirs").fetchall()
    names = {}
    for session_id, cwd, logged in rows:
        name = project_name(cwd) if cwd else (logged or project_name(None))
        names[session_id] = project_alias(name) if anonymize else name
    cursor.execute(
        "CREATE OR REPLACE TEMP TABLE sync_projects AS "
        "SELECT unnest($1::VARCHAR[]) AS session_id, unnest($2::VARCHAR[]) AS project",
        [list(names), list(names.values())],
    )


def parquet_bytes(table: pa.Table) -> bytes:
    """The partition file: the same rows always give the same bytes (one chunk per column,
    the same writer), so the name can be their hash."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table.combine_chunks(), sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def _write_one(location: Location, directory: str, table: pa.Table, report: SyncReport) -> None:
    import pyarrow.fs as pafs

    data = parquet_bytes(table)
    name = f"{PREFIX}{hashlib.blake2b(data, digest_size=10).hexdigest()}.parquet"
    target = f"{directory}/{name}"
    fs = location.fs
    existing = [
        info.path
        for info in fs.get_file_info(pafs.FileSelector(directory, allow_not_found=True))
        if info.type == pafs.FileType.File and info.base_name.startswith(PREFIX)
    ]
    if target in existing:
        report.unchanged += 1
    else:
        fs.create_dir(directory, recursive=True)
        if location.object_store:
            _put(fs, target, data)
        else:
            temporary = f"{directory}/.{name}.{os.urandom(16).hex()}.tmp"
            try:
                _put(fs, temporary, data)
                fs.move(temporary, target)
            except BaseException:
                _delete(fs, temporary)
                raise
        report.written.append(location.display(target))
    for path in existing:
        if path != target:
            _delete(fs, path)
            report.removed += 1


def _put(fs: pafs.FileSystem, path: str, data: bytes) -> None:
    with fs.open_output_stream(path) as stream:
        stream.write(data)


def _delete(fs: object, path: str) -> None:
    with contextlib.suppress(OSError):
        fs.delete_file(path)  # type: ignore[attr-defined]
