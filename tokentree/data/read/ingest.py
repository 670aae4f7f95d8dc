"""Bringing the store up to date with the files on disk, using and refreshing the cache.

For every discovered file the cache says one of: unchanged (rows reused), appended (rows reused,
the tail read from the last offset — line formats that allow it), or changed/new (read whole).
Files that vanished are dropped. With a ``since`` bound, files last modified before it are not
read at all (their lines are all older), though cached rows of such files are kept.

The first read walks every root; later ones in the same process (live mode) may name the paths
that changed instead, and then only those files are looked at. Either way a later read tells the
derived tables which files' rows changed (``store.derived``), so that only what those rows touch
is recomputed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tokentree.data.history import vanished
from tokentree.data.read import linereader
from tokentree.data.read.discovery import DirRecord, Discovery, FoundFile, SourceRoot, discover
from tokentree.data.read.file_states import FileStates
from tokentree.data.read.found_key import walk_key
from tokentree.data.read.locate import locate
from tokentree.data.read.scan import FileState, Scanner, ScanTarget
from tokentree.data.source import Format, LineFormat
from tokentree.data.sqlfiles import insert_columns
from tokentree.data.store.cache import ALIAS, FILE_COLUMNS, RAW_TABLES, PersistedCache
from tokentree.data.sync import SYNC_FORMAT

if TYPE_CHECKING:
    import duckdb

    from tokentree.data.history.archive import Archive
    from tokentree.data.store.store import UsageStore

ProgressCallback = Callable[[int, int, int, int], None]
"""Called with (files done, files to read, bytes done, bytes to read)."""


@dataclass(slots=True)
class IngestReport:
    """What one ingest saw and did; ``summary()`` is the one line users see."""

    roots: list[SourceRoot] = field(default_factory=list)
    missing_roots: list[SourceRoot] = field(default_factory=list)
    files: int = 0
    files_by_source: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    files_read: int = 0
    files_appended: int = 0
    files_cached: int = 0
    files_dropped: int = 0
    """Files that vanished (or became copies of others) since the last read."""
    files_archived: int = 0
    """Of those, the files that vanished: their rows were kept in the archive."""
    archive_error: str | None = None
    """Why the rows of vanished files could not be archived (then the cache must not be
    saved: the next run finds them in it and tries again)."""
    files_reread_tolerant: int = 0
    bytes_read: int = 0
    cache_dirty: bool = False
    """The in-memory tables differ from the persisted cache (it should be saved)."""
    exposed: bool = False
    """Nothing changed: the tables are views over the persisted cache's file."""
    skipped_lines: int = 0
    files_with_skipped: int = 0
    truncated_files: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    cache_status: str = "disabled"
    seconds: float = 0.0

    copies: list[FoundFile] = field(default_factory=list)
    """Files a source dropped as copies of others (remembered for live lookups)."""
    pruned: list[str] | None = None
    """The directories a walk skipped (None: no walk, a lookup of changed paths)."""
    dirs: dict[str, DirRecord] | None = None
    """What a walk found in each directory, for the next walk (None: no walk)."""
    dirs_listed: int = 0
    """Directories the walk listed (the others were known and unchanged)."""

    @property
    def changed(self) -> bool:
        return bool(self.files_read or self.files_appended or self.files_dropped)

    def summary(self) -> str | None:
        """One line about anything skipped or unreadable; None when all was clean."""
        parts = []
        if self.skipped_lines:
            parts.append(
                f"skipped {self.skipped_lines} malformed line{'s' * (self.skipped_lines != 1)} "
                f"in {self.files_with_skipped} file{'s' * (self.files_with_skipped != 1)}"
            )
        if self.truncated_files:
            parts.append(
                f"{self.truncated_files} file{'s' * (self.truncated_files != 1)} "
                f"end{'s' * (self.truncated_files == 1)} in an incomplete line "
                "(still being written?)"
            )
        if self.errors:
            first = self.errors[0]
            more = f" (+{len(self.errors) - 1} more)" if len(self.errors) > 1 else ""
            parts.append(f"could not read {len(self.errors)}: {first[0]}: {first[1]}{more}")
        return "tokentree: " + "; ".join(parts) if parts else None


def ingest(
    store: UsageStore,
    roots: list[SourceRoot],
    *,
    cache: PersistedCache | None = None,
    since_ns: int | None = None,
    progress: ProgressCallback | None = None,
    known: dict[int, FileState] | None = None,
    paths: Iterable[str | Path] | None = None,
    copies: list[FoundFile] | None = None,
    archive: Archive | None = None,
    seen_ns: int | None = None,
    dirs: dict[str, DirRecord] | None = None,
    adopt: Callable[[], None] | None = None,
    walked: Discovery | None = None,
) -> tuple[IngestReport, FileStates | None]:
    """Discover, diff against ``known`` states (or the cache), read what changed.

    Returns the report and the new file states by file id (pass them back as ``known`` for the
    next incremental ingest in the same process); None when a fresh process found the cache's
    files unchanged and served it without reading its manifest (the store's ``files`` holds
    them: :func:`tokentree.data.store.cache.read_states`). With ``paths`` (and ``known``), only the
    files those changed paths stand for are looked at (:mod:`tokentree.data.read.locate`): no walk.
    ``copies``: the copies a source dropped at the last walk or lookup (``report.copies`` holds
    them afterwards). ``archive``: where the rows of files that vanished are kept (and read
    from); ``seen_ns``: when the files known were last seen (a later read in the process).
    ``dirs``: what the last walk found (unchanged directories are not listed again;
    ``report.dirs`` holds this walk's). ``adopt``: called when a fresh process serves the
    cache, to serve the derived stages saved with it; what changed since is then applied to
    them as a delta, as in live mode. ``walked``: a walk of ``roots`` just made (not walked
    again).
    """
    started = time.perf_counter()
    report = IngestReport(roots=list(roots))
    formats = format_lookup(roots)
    covered: set[int] | None = None
    if paths is not None and known is not None:
        located = locate(roots, paths, known, copies or [])
        files, covered, report.copies = located.files, located.covered, located.copies
        report.errors = list(located.errors)
    else:
        walked = walked or discover(roots, known=dirs)
        files, report.copies, report.pruned = walked.files, walked.copies, walked.pruned
        report.dirs, report.dirs_listed = walked.dirs, walked.listed
        report.missing_roots = walked.missing
        report.errors = list(walked.errors)
    with store.lock:
        cursor = store.cursor()
        if (
            known is None
            and walked is not None
            and since_ns is None
            and _serve_unchanged(store, cursor, cache, walked, archive, adopt, report)
        ):
            report.seconds = time.perf_counter() - started
            return report, None
        fresh_process = known is None
        if known is None:
            known = cache.manifest(cursor) if cache is not None else {}
        plan = _plan(files, known, since_ns, formats, covered)
        present = plan.present | {c.file_id for c in report.copies}
        gone = [fid for fid in plan.drop_ids if fid not in present] if archive else []
        unchanged = not plan.targets and not plan.drop_ids
        exposed = False
        incremental = not fresh_process
        if fresh_process:
            if cache is not None and known:
                archive_key = archive.key() if archive is not None else ""
                if cache.expose(cursor, archive_key):
                    exposed = True  # serve the cache as it is, its derived stages included
                    if archive is not None:
                        archive.reflected = [p.name for p in archive.segments()]
                    store.derived_from_cache()
                    if adopt is not None:
                        adopt()
                    if not unchanged:  # then read what changed as a live refresh would
                        seen_ns = cache.saved_ns() or seen_ns  # when the files were last seen
                        cache.materialize(cursor)
                        store.derived.cache_materialized()
                        incremental = True
                else:
                    seen = cache.saved_ns() or time.time_ns()
                    vanished.keep_rows(archive, cursor, gone, ALIAS, seen, report)
                    if not cache.copy_rows(cursor, plan.keep_ids):
                        plan = _plan(files, {}, since_ns, formats, covered)
            elif cache is not None:
                cache.detach(cursor)  # a cache of no files: nothing to serve or copy
            if archive is not None and cache is not None and not known:
                sources = {r.source.name for r in roots}
                vanished.archive_previous(archive, cache, cursor, present, sources, report)
            if archive is not None and not exposed:
                try:
                    if archive.load(cursor, vanished.root_pairs(roots), present):
                        vanished.label(cursor, roots, report)
                except Exception as error:  # never fatal: the rows stay on disk
                    report.errors.append((str(archive.directory), f"archive unreadable: {error}"))
                    archive.reflected = ["unreadable"]
            report.cache_status = cache.status if cache is not None else "disabled"
        elif not unchanged and cache is not None and cache.attached:
            cache.materialize(cursor)  # views over the old snapshot become tables
            store.derived.cache_materialized()
        changed_ids = [*plan.drop_ids, *(t.file_id for t in plan.targets)]
        if incremental and not unchanged:
            seen = seen_ns or time.time_ns()
            dropped, kept = vanished.settle(
                archive, cursor, plan.drop_ids, gone, plan.targets, seen, report
            )
            changed_ids += [fid for fid in dropped if fid not in plan.drop_ids]
            # an appended tail only adds rows: what they touch is seen afterwards; the rows of
            # an archived file stay as they are (its sessions are looked at again)
            store.derived.raw_changing(cursor, [*dropped, *kept])
            drop_files(cursor, dropped)
            if kept or set(dropped) - set(plan.drop_ids):
                changed_ids += vanished.label(cursor, roots, report)
        total_bytes = sum(t.size - t.offset for t in plan.targets)

        def on_progress(files_done: int, bytes_done: int) -> None:
            if progress is not None:
                progress(files_done, len(plan.targets), bytes_done, total_bytes)

        if progress is not None:
            progress(0, len(plan.targets), 0, total_bytes)
        scanner = Scanner(cursor, formats, on_progress)
        new_states = scanner.scan(plan.targets) if plan.targets else []
        if covered is None:
            states = FileStates(plan.kept)
        else:  # a copy (the watcher's thread reads the old one) changed by the few covered
            states = FileStates(known)
            for fid in covered:
                states.pop(fid, None)
            states.update(plan.kept)
        for state in new_states:
            previous = plan.kept.get(state.file_id) if state.via == "tail" else None
            if previous is not None:
                state.lines += previous.lines
                state.skipped += previous.skipped
            states[state.file_id] = state
        if incremental and not unchanged:
            write_files_table(cursor, states, changed_ids)
            store.derived.raw_changed(cursor, changed_ids)
        elif not incremental and not exposed:
            write_files_table(cursor, states, None)
            store.raw_changed()
    served = exposed and unchanged  # the tables are views over the cache's file
    report.exposed = served
    report.cache_dirty = (
        cache is not None and not served and (not unchanged or cache.status != "loaded")
    )
    _summarise(report, states, plan, new_states, total_bytes, walked)
    report.seconds = time.perf_counter() - started
    return report, states


def _serve_unchanged(
    store: UsageStore,
    cursor: duckdb.DuckDBPyConnection,
    cache: PersistedCache | None,
    walked: Discovery,
    archive: Archive | None,
    adopt: Callable[[], None] | None,
    report: IngestReport,
) -> bool:
    """A fresh process whose walk finds the files of the cache's manifest unchanged (same
    key, :mod:`.found_key`): serve the cache, its derived stages included, without reading
    the manifest's rows; False (the cache attached at most) otherwise."""
    if cache is None or not cache.attach(cursor):
        return False
    found = cache.meta.get("found")
    if not found or found != walk_key(walked.files):
        return False
    if not cache.expose(cursor, archive.key() if archive is not None else ""):
        return False
    if archive is not None:
        archive.reflected = [p.name for p in archive.segments()]
    store.derived_from_cache()
    if adopt is not None:
        adopt()
    cached, skipped, with_skipped, truncated = cache.manifest_summary(cursor)
    report.exposed = True
    report.cache_status = cache.status
    report.files = len(walked.files)
    report.files_by_source = walked.by_source()
    report.bytes = walked.total_bytes
    report.files_cached = cached
    report.skipped_lines, report.files_with_skipped = skipped, with_skipped
    report.truncated_files = truncated
    return True


def format_lookup(roots: list[SourceRoot]) -> Callable[[str, str], Format]:
    """A format by (source name, format name) among the roots' sources; a source's formats
    are imported only when one of its files is read (:class:`.source.LazyFormats`)."""
    by_name = {root.source.name: root.source for root in roots}
    return lambda source, name: by_name[source].format(name)


def _summarise(
    report: IngestReport,
    states: FileStates,
    plan: _Plan,
    new_states: list[FileState],
    total_bytes: int,
    walked: Discovery | None,
) -> None:
    totals = states.totals()  # kept current by the states: not a pass over every file
    if walked is None:  # a lookup of some paths: the files known now
        report.files, report.files_by_source = len(states), dict(totals.by_source)
        report.bytes = totals.bytes
    else:  # a walk: what it found (files a ``since`` bound leaves unread included)
        report.files = len(walked.files)
        report.files_by_source = walked.by_source()
        report.bytes = walked.total_bytes
    report.files_read = sum(1 for s in new_states if s.via != "tail")
    report.files_appended = sum(1 for s in new_states if s.via == "tail")
    report.files_reread_tolerant = sum(1 for s in new_states if s.via == "python")
    report.files_dropped = sum(1 for fid in plan.drop_ids if fid not in states)
    report.files_cached = len(states) - len(new_states)
    report.bytes_read = total_bytes
    report.errors += [(s.path, s.error) for s in new_states if s.error]
    report.skipped_lines, report.files_with_skipped = totals.skipped, totals.with_skipped
    report.truncated_files = totals.truncated


@dataclass(slots=True)
class _Plan:
    targets: list[ScanTarget] = field(default_factory=list)
    kept: dict[int, FileState] = field(default_factory=dict)
    keep_ids: list[int] = field(default_factory=list)
    drop_ids: list[int] = field(default_factory=list)
    present: set[int] = field(default_factory=set)
    """The ids of the files found (hashed only for files the known states do not name)."""


def _plan(
    files: list[FoundFile],
    known: dict[int, FileState],
    since_ns: int | None,
    formats: Callable[[str, str], Format],
    covered: set[int] | None = None,
) -> _Plan:
    """What to read and drop. ``covered``: the known files ``files`` decides about (absent
    ones are dropped); None: every known file (a walk)."""
    plan = _Plan()
    present = plan.present
    # A walk finds about every known file: look them up by path and hash only new ones. A
    # watcher's few paths are hashed instead, so a live refresh does not index the history.
    by_path = (
        {(state.source, state.path): state for state in known.values()}
        if len(files) * 8 >= len(known)
        else None
    )
    for file in files:
        if by_path is None:
            fid = file.file_id
            state = known.get(fid)
        else:
            state = by_path.get((file.source, file.path))
            fid = state.file_id if state is not None else file.file_id
        present.add(fid)
        if state is not None and not state.error and state.format == file.format:
            if state.size == file.size and state.mtime_ns == file.mtime_ns:
                plan.kept[fid] = state
                plan.keep_ids.append(fid)
                continue
            if _appended(state, file, formats(file.source, file.format)):
                plan.kept[fid] = state
                plan.keep_ids.append(fid)
                plan.targets.append(
                    ScanTarget(
                        file.path,
                        file.size,
                        file.mtime_ns,
                        file.source,
                        file.format,
                        state.end_offset,
                    )
                )
                continue
        if state is not None:
            plan.drop_ids.append(fid)
        if since_ns is not None and file.mtime_ns < since_ns:
            continue
        plan.targets.append(
            ScanTarget(file.path, file.size, file.mtime_ns, file.source, file.format)
        )
    candidates = known if covered is None else [fid for fid in covered if fid in known]
    for fid in candidates:  # (not covered: kept as they are)
        state = known[fid]
        if state.format == SYNC_FORMAT and fid not in present:  # tokentree.data.sync's to change
            plan.kept[fid] = state
            plan.keep_ids.append(fid)
    plan.drop_ids += [fid for fid in candidates if fid not in present and fid not in plan.kept]
    return plan


def _appended(state: FileState, file: FoundFile, fmt: Format) -> bool:
    """True when the file grew past what was read, the bytes read are unchanged, and the
    format can read appended lines on their own."""
    if not isinstance(fmt, LineFormat) or not fmt.appendable:
        return False
    if file.size <= state.end_offset or state.end_offset <= 0 or not state.tail_sig:
        return False
    if linereader.is_compressed(file.path):
        return False
    return linereader.tail_signature(file.path, state.end_offset) == state.tail_sig


def drop_files(cursor: duckdb.DuckDBPyConnection, file_ids: list[int]) -> None:
    if not file_ids:
        return
    for table in RAW_TABLES:
        cursor.execute(f"DELETE FROM {table} WHERE file_id IN (SELECT unnest(?))", [file_ids])


def write_files_table(
    cursor: duckdb.DuckDBPyConnection, states: dict[int, FileState], changed: list[int] | None
) -> None:
    """The manifest: all of it (``changed`` None) or the rows of the changed files."""
    if changed is None:
        cursor.execute("DELETE FROM files")
        rows = list(states.values())
    else:
        cursor.execute(
            "DELETE FROM files WHERE file_id IN (SELECT unnest(?::UBIGINT[]))", [changed]
        )
        rows = [states[fid] for fid in dict.fromkeys(changed) if fid in states]
    if rows:
        insert_columns(
            cursor, "files", FILE_COLUMNS, [[getattr(s, c) for s in rows] for c in FILE_COLUMNS]
        )
