"""The second read of a split cold start: the files the first frame left for later.

They are new files (the store holds no row of theirs), so reading them only appends rows to
the raw tables. The scan runs without the store's lock: the screens go on reading the first
frame's derived tables, which no raw row feeds until the derived tables are told. Then, under
the lock, the manifest gains the files and every derived table is rebuilt from all the rows,
exactly as after a read in one go (``calls.sql`` deduplicates across every file read).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

from tokentree.data.read.discovery import FoundFile, SourceRoot
from tokentree.data.read.file_states import FileStates
from tokentree.data.read.ingest import IngestReport, ProgressCallback, drop_files, write_files_table
from tokentree.data.read.scan import Scanner, ScanTarget

if TYPE_CHECKING:
    from tokentree.data.store.store import UsageStore


class Cancelled(Exception):
    """The read of the older files was given up (the front end is closing)."""


def read_older(
    store: UsageStore,
    roots: list[SourceRoot],
    files: Iterable[FoundFile],
    states: FileStates,
    report: IngestReport,
    *,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    again: bool = False,
) -> FileStates:
    """Read ``files`` (the walk's files ``states`` lacks) into ``store`` and count them in
    ``report``; returns the states of every file. ``cancel``: when set, the read stops at the
    next file with :class:`Cancelled` (the rows read so far stay: the store is being closed,
    and it must not be saved). ``again``: an earlier read failed part way (its rows go
    first)."""
    formats = {(r.source.name, f.name): f for r in roots for f in r.source.formats}
    targets = [
        ScanTarget(f.path, f.size, f.mtime_ns, f.source, f.format)
        for f in files
        if f.file_id not in states
    ]
    total_bytes = sum(t.size for t in targets)
    if again:
        with store.lock:
            drop_files(store.cursor(), [t.file_id for t in targets])

    def on_progress(files_done: int, bytes_done: int) -> None:
        if cancel is not None and cancel.is_set():
            raise Cancelled
        if progress is not None:
            progress(files_done, len(targets), bytes_done, total_bytes)

    if progress is not None:
        progress(0, len(targets), 0, total_bytes)
    scanner = Scanner(store.cursor(), lambda source, name: formats[(source, name)], on_progress)
    new_states = scanner.scan(targets) if targets else []
    with store.lock:
        states = FileStates(states)
        states.update({state.file_id: state for state in new_states})
        write_files_table(store.cursor(), states, [s.file_id for s in new_states])
        store.raw_changed()  # every derived table is built again, from every file's rows
    report.files_read += len(new_states)
    report.files_reread_tolerant += sum(1 for s in new_states if s.via == "python")
    report.bytes_read += total_bytes
    report.errors += [(s.path, s.error) for s in new_states if s.error]
    totals = states.totals()
    report.skipped_lines, report.files_with_skipped = totals.skipped, totals.with_skipped
    report.truncated_files = totals.truncated
    report.cache_dirty = report.cache_dirty or bool(new_states)
    return states
