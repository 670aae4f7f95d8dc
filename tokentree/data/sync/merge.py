"""Other devices' partitions merged into the store, as files of the raw tables.

Each partition file is a file of the manifest (source ``sync``, format ``sync-parquet``) with its
own rows in the raw tables: a partition that appeared is read, one that changed (size or time)
read again, one that vanished dropped, and the derived tables are told which rows changed
(``raw_changing`` / ``raw_changed``), so only the calls and sessions they touch are recomputed.
Ingest keeps these files as they are (they are not under any root); only this module changes
them. This machine's own partitions are never read back: its calls come from its logs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tokentree.data.engine import with_arrow
from tokentree.data.read.identity import file_id
from tokentree.data.read.scan import FileState
from tokentree.data.sqlfiles import insert_columns, statements
from tokentree.data.store.cache import FILE_COLUMNS, RAW_TABLES
from tokentree.data.sync import SYNC_FORMAT, SYNC_SOURCE
from tokentree.data.sync.location import Location, Partition, list_partitions

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from tokentree.data.store.store import UsageStore


@dataclass(slots=True)
class MergeReport:
    devices: list[str] = field(default_factory=list)
    """The other devices found in the folder."""
    files: int = 0
    read: int = 0
    dropped: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.read or self.dropped)


def merge_devices(
    store: UsageStore,
    location: Location | None,
    own_device: str,
    states: dict[int, FileState],
    *,
    before_change: Callable[[], None] | None = None,
) -> MergeReport:
    """Bring the store's copy of the other devices' partitions up to date with ``location``
    (None: drop them all); ``states`` (the workspace's file states) is updated in place.
    ``before_change`` runs, under the store's lock, before any raw row changes."""
    report = MergeReport()
    listed: dict[int, Partition] = {}
    if location is not None:
        try:
            partitions = list_partitions(location)
        except OSError as error:
            report.errors.append((location.url, str(error)))
            return report  # unreachable now: keep what was merged before
        for part in partitions:
            if part.device != own_device:
                listed[file_id(SYNC_SOURCE, location.display(part.path))] = part
    report.devices = sorted({p.device for p in listed.values()})
    report.files = len(listed)
    held = {fid: s for fid, s in states.items() if s.format == SYNC_FORMAT}
    to_read = [
        (fid, part)
        for fid, part in listed.items()
        if (old := held.get(fid)) is None or (old.size, old.mtime_ns) != (part.size, part.mtime_ns)
    ]
    gone = [fid for fid in held if fid not in listed]
    if not to_read and not gone:
        return report
    batch, new_states = _read(location, to_read, report) if location is not None else (None, [])
    replaced = [*gone, *(fid for fid, _ in to_read if fid in held)]
    with store.lock:
        if before_change is not None:
            before_change()
        cursor = store.cursor()
        store.derived.raw_changing(cursor, replaced)
        _delete(cursor, replaced)
        if batch is not None:
            with_arrow()
            loader = store.cursor()
            loader.register("sync_batch", batch)
            try:
                for statement in statements("load", package=__package__):
                    loader.execute(statement)
            finally:
                loader.unregister("sync_batch")
        _write_manifest(cursor, replaced, new_states)
        store.derived.raw_changed(cursor, [*replaced, *(s.file_id for s in new_states)], whole=True)
    for fid in gone:
        states.pop(fid, None)
    for state in new_states:
        states[state.file_id] = state
    report.read, report.dropped = len(to_read), len(gone)
    return report


def _read(
    location: Location, parts: list[tuple[int, Partition]], report: MergeReport
) -> tuple[pa.Table | None, list[FileState]]:
    """The partitions' rows in one table (with their file id, device and source), and their
    states; an unreadable file (half copied, not Parquet) is an error state, read again once it
    changes."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables, states = [], []
    for fid, part in parts:
        path = location.display(part.path)
        error = None
        try:
            table = pq.read_table(part.path, filesystem=location.fs)
        except (OSError, pa.ArrowException) as problem:
            error, table = str(problem) or type(problem).__name__, None
            report.errors.append((path, error))
        if table is not None:
            n = table.num_rows
            table = table.append_column("_file_id", pa.array([fid] * n, pa.uint64()))
            table = table.append_column("_device", pa.array([part.device] * n, pa.string()))
            table = table.append_column("_source", pa.array([part.source] * n, pa.string()))
            tables.append(table)
        rows = table.num_rows if table is not None else 0
        states.append(
            FileState(
                fid,
                path,
                SYNC_SOURCE,
                SYNC_FORMAT,
                part.size,
                part.mtime_ns,
                part.size,
                "",
                rows,
                0,
                False,
                error,
                "store",
            )
        )
    if not tables:
        return None, states
    return pa.concat_tables(tables, promote_options="permissive"), states


def _delete(cursor: duckdb.DuckDBPyConnection, file_ids: list[int]) -> None:
    if not file_ids:
        return
    for table in RAW_TABLES:
        cursor.execute(
            f"DELETE FROM {table} WHERE file_id IN (SELECT unnest(?::UBIGINT[]))", [file_ids]
        )


def _write_manifest(
    cursor: duckdb.DuckDBPyConnection, replaced: list[int], states: list[FileState]
) -> None:
    ids = [*replaced, *(s.file_id for s in states)]
    cursor.execute("DELETE FROM files WHERE file_id IN (SELECT unnest(?::UBIGINT[]))", [ids])
    if states:
        insert_columns(
            cursor, "files", FILE_COLUMNS, [[getattr(s, c) for s in states] for c in FILE_COLUMNS]
        )
