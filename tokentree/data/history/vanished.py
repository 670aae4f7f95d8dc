"""What a read does about files that vanished: their rows go to the archive and stay in the
store (:mod:`tokentree.data.history.archive`); a file back on disk is read again instead. Used by
:func:`tokentree.data.read.ingest.ingest`."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from tokentree.data.history.archive import Archive, quote

if TYPE_CHECKING:
    import duckdb

    from tokentree.data.read.discovery import SourceRoot
    from tokentree.data.read.ingest import IngestReport
    from tokentree.data.read.scan import ScanTarget
    from tokentree.data.store.cache import PersistedCache


def root_pairs(roots: list[SourceRoot]) -> list[tuple[str, str]]:
    """Each root as ``(source, path)``, as named and resolved (archived paths are either)."""
    pairs = {(r.source.name, str(r.path)) for r in roots}
    pairs |= {(r.source.name, os.path.realpath(r.path)) for r in roots}
    return sorted(pairs)


def keep_rows(
    archive: Archive | None,
    cursor: duckdb.DuckDBPyConnection,
    file_ids: list[int],
    schema: str,
    seen_ns: int,
    report: IngestReport,
) -> list[int]:
    """Keep the rows of the vanished ``file_ids`` (in ``schema``) in the archive; returns the
    files kept (none when it could not be written: ``report.archive_error`` says why)."""
    if archive is None or not file_ids:
        return []
    try:
        segment = archive.keep(cursor, file_ids, schema=schema, seen_ns=seen_ns)
    except Exception as error:
        report.archive_error = f"could not archive {len(file_ids)} vanished files: {error}"
        report.errors.append((str(archive.directory), report.archive_error))
        return []
    report.files_archived += len(file_ids)
    if schema != "main" or segment is None:
        return []  # a fresh process loads the archive afterwards
    return archive.adopt(cursor, segment)


def archive_previous(
    archive: Archive,
    cache: PersistedCache,
    cursor: duckdb.DuckDBPyConnection,
    present: set[int],
    sources: set[str],
    report: IngestReport,
) -> None:
    """After an upgrade (no cache of this parser version yet), archive the files that are gone
    from the previous version's cache of these roots: their rows exist nowhere else. Their rows
    are kept as that version read them; files still on disk are read again. Only files of
    ``sources`` (the roots' sources) count: other devices' partitions are not this machine's
    logs and stay in their folder."""
    previous = cache.previous()
    if previous is None:
        return
    alias = "previous_cache"
    try:
        cursor.execute(f"ATTACH '{quote(previous)}' AS {alias} (READ_ONLY)")
    except Exception:
        return  # unreadable (another DuckDB version): nothing to recover
    try:
        query = f"SELECT file_id FROM {alias}.files WHERE list_contains($sources, source)"
        rows = cursor.execute(query, {"sources": sorted(sources)}).fetchall()
        known = {row[0] for row in rows}
        vanished = sorted(known - present - archive.file_ids(cursor))
        keep_rows(archive, cursor, vanished, alias, previous.stat().st_mtime_ns, report)
    except Exception as error:
        report.errors.append((str(previous), f"could not archive from an older cache: {error}"))
    finally:
        cursor.execute(f"DETACH {alias}")


def archived_among(cursor: duckdb.DuckDBPyConnection, file_ids: list[int]) -> list[int]:
    """Those of ``file_ids`` that are archived (a file back on disk: its rows are read again)."""
    if not file_ids:
        return []
    rows = cursor.execute(
        "SELECT file_id FROM archived_files WHERE file_id IN (SELECT unnest(?::UBIGINT[]))",
        [file_ids],
    ).fetchall()
    return [row[0] for row in rows]


def unlist_archived(cursor: duckdb.DuckDBPyConnection, file_ids: list[int]) -> None:
    if file_ids:
        cursor.execute(
            "DELETE FROM archived_files WHERE file_id IN (SELECT unnest(?::UBIGINT[]))",
            [file_ids],
        )


def settle(
    archive: Archive | None,
    cursor: duckdb.DuckDBPyConnection,
    drop_ids: list[int],
    gone: list[int],
    targets: list[ScanTarget],
    seen_ns: int,
    report: IngestReport,
) -> tuple[list[int], list[int]]:
    """In a running process, before the files ``drop_ids`` are dropped (``gone``: those that
    vanished) and ``targets`` read: archive what vanished, unlist archived files read again.
    Returns the files whose rows to drop (archived files back on disk included) and those
    whose rows stay, archived."""
    kept = keep_rows(archive, cursor, gone, "main", seen_ns, report)
    revived = archived_among(cursor, [t.file_id for t in targets if not t.offset])
    unlist_archived(cursor, revived)
    kept_ids = set(kept)
    dropped = [fid for fid in drop_ids if fid not in kept_ids] + revived
    if revived:  # its session has prompts of its own again: history labels are made anew
        dropped += history_files(cursor)
    return dropped, kept


def history_files(cursor: duckdb.DuckDBPyConnection) -> list[int]:
    """The files whose prompts label archived sessions (:mod:`.history_labels`)."""
    query = "SELECT DISTINCT file_id FROM raw_prompts WHERE starts_with(uuid, 'history:')"
    return [row[0] for row in cursor.execute(query).fetchall()]


def label(
    cursor: duckdb.DuckDBPyConnection, roots: list[SourceRoot], report: IngestReport
) -> list[int]:
    """Label archived sessions without prompts from their source's prompt history
    (:mod:`tokentree.data.history.labels`); returns the ids of the history files read."""
    from tokentree.data.history.labels import label_archived

    try:
        return label_archived(cursor, roots)
    except Exception as error:  # a label is not worth failing a read for
        report.errors.append(("prompt history", str(error)))
        return []
