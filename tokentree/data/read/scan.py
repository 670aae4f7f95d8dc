"""Reading files into the raw tables: JSONL in bulk by DuckDB (verified, Python where needed),
stores by their source's reader.

For each batch of whole JSONL files of one format, DuckDB runs the engine's line split
(``sql/line_scan.sql``) with the format's ``scan_sql`` into the staging table. The scan then
checks, per file, that the bytes it saw add up to the file's size; a file that does not add up
(a line DuckDB dropped or could not decode, a file that changed while being read) is read again
by the tolerant reader, which replaces its rows. Lines DuckDB could split but not parse (lone
surrogate escapes) are re-parsed in Python one by one. zstd-compressed files are scanned the same
way (DuckDB decompresses them; their bytes are checked against the decompressed size); appended
tails, and compressed files that cannot be read whole, go to the tolerant reader. Finally the
format's ``stage_sql`` types the staging rows into the raw tables. Store files (JSON documents,
sqlite databases) go to :mod:`tokentree.data.read.stores`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from tokentree.data.engine import with_arrow
from tokentree.data.read import linereader
from tokentree.data.read.identity import file_id
from tokentree.data.read.stores import read_stores
from tokentree.data.source import Format, LineFormat, StoreFormat, staging_kinds
from tokentree.data.sqlfiles import sql, statements
from tokentree.data.store.concurrent import run_queue

if TYPE_CHECKING:
    import duckdb

BIG_FILE = 48 << 20
"""Files above this size are scanned one at a time, so the CSV reader's buffers stay bounded."""
BATCH_BYTES = 64 << 20
"""A batch's staging rows are held until it is typed: this bounds the scan's memory whatever
the size of the history."""
BATCH_FILES = 2000
SCAN_WORKERS = 2
"""Jobs (batches of files, a format's store files) run side by side, each worker on its own
cursor: DuckDB releases the GIL while it executes, so one worker's Python (verifying a batch,
reading sidecars) and its single-threaded statements overlap the other's scan
(``$TOKENTREE_SCAN_WORKERS`` overrides)."""
MAX_LINE = 8 << 20
"""Longer lines are dropped by DuckDB's reader; the byte check sends their file to Python."""
BOM = b"\xef\xbb\xbf"
"""DuckDB's reader drops a UTF-8 byte-order mark at the start of a file."""

APPEND_WINDOW_NS = 2 * 86_400 * 10**9
"""Files modified within this window get a tail signature so a later append can be read from
its offset; an older file that grows again is simply read whole (one open per file saved)."""

Job = Callable[["duckdb.DuckDBPyConnection"], list["FileState"]]
ProgressCallback = Callable[[int, int], None]
"""Called with (files done, bytes done) after each batch."""
FormatLookup = Callable[[str, str], Format]
"""(source name, format name) → the format."""


@dataclass(frozen=True, slots=True)
class ScanTarget:
    """A file to read, whole (``offset == 0``) or from an offset (an appended tail)."""

    path: str
    size: int
    mtime_ns: int
    source: str
    format: str
    offset: int = 0
    file_id: int = field(init=False, compare=False, repr=False)
    """:func:`~tokentree.data.read.identity.file_id`, hashed once (a scan asks for it often)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "file_id", file_id(self.source, self.path))


@dataclass(slots=True)
class FileState:
    """What is known about a file after reading it; the persisted cache's manifest row."""

    file_id: int
    path: str
    source: str
    format: str
    size: int
    mtime_ns: int
    end_offset: int = 0
    tail_sig: str = ""
    lines: int = 0
    skipped: int = 0
    truncated_tail: bool = False
    error: str | None = None
    via: str = "duckdb"
    """``duckdb``, ``python`` (tolerant read), ``tail`` (appended lines only) or ``store``."""

    @classmethod
    def of(cls, target: ScanTarget, via: str) -> FileState:
        return cls(
            target.file_id,
            target.path,
            target.source,
            target.format,
            target.size,
            target.mtime_ns,
            via=via,
        )


STAGING_COLUMNS = ("file_id", "kind", "bytes", "x", "overflow", "bad", "broken", "ordinal")
STAGING_TYPES = (
    "UBIGINT[]",
    "VARCHAR[]",
    "BIGINT[]",
    "VARCHAR[][]",
    "STRUCT(id VARCHAR, name VARCHAR, detail VARCHAR)[][]",
    "VARCHAR[]",
    "BOOLEAN[]",
    "BIGINT[]",
)
SCAN_COLUMNS = STAGING_COLUMNS[:-1]
"""What a line format's ``scan_sql`` returns; an ordered format adds ``ordinal``."""


def scan_statement(fmt: LineFormat, max_line: int = MAX_LINE) -> str:
    """The bulk scan of a batch of ``fmt``'s files into ``staging`` (parameter ``$files``; the
    batch's ``scan_files(path, file_id)`` temp table must exist)."""
    return sql(
        "line_scan",
        package=__package__,
        select=fmt.scan_sql,
        columns=", ".join(STAGING_COLUMNS if fmt.ordered else SCAN_COLUMNS),
        ordinal=", row_number() OVER () AS ordinal" if fmt.ordered else "",
        line_ordinal=", r.ordinal" if fmt.ordered else "",
        max_line_size=max_line,
        buffer_size=2 * max_line,
    )


def _batches(
    targets: list[ScanTarget], size: Callable[[ScanTarget], int], max_files: int
) -> Iterator[list[ScanTarget]]:
    batch: list[ScanTarget] = []
    batch_bytes = 0
    for target in targets:
        batch.append(target)
        batch_bytes += size(target)
        if len(batch) >= max_files or batch_bytes >= BATCH_BYTES:
            yield batch
            batch, batch_bytes = [], 0
    if batch:
        yield batch


def insert_staging(cursor: duckdb.DuckDBPyConnection, rows: list[dict[str, Any]]) -> None:
    """Append Python-made staging rows (tolerant reader) to the staging table, in one
    column-wise statement."""
    if not rows:
        return
    columns = [[row.get(name) for row in rows] for name in STAGING_COLUMNS]
    select = ", ".join(
        f"unnest(${i + 1}::{kind}) AS {name}"
        for i, (name, kind) in enumerate(zip(STAGING_COLUMNS, STAGING_TYPES, strict=True))
    )
    cursor.execute(f"INSERT INTO staging SELECT {select}", columns)


class Scanner:
    """Reads a set of targets into the raw tables of one DuckDB connection (via a cursor)."""

    def __init__(
        self,
        cursor: duckdb.DuckDBPyConnection,
        formats: FormatLookup | None = None,
        progress: ProgressCallback | None = None,
        workers: int | None = None,
        batch_files: int = BATCH_FILES,
    ) -> None:
        from tokentree.data.sources import format_of

        self._cursor = cursor
        self._workers = workers or int(os.environ.get("TOKENTREE_SCAN_WORKERS") or SCAN_WORKERS)
        self._batch_files = batch_files
        self._lock = threading.Lock()
        self._formats = formats or format_of
        self._progress = progress
        self._scan_sql: dict[int, str] = {}
        self._stage_guards: dict[int, list[frozenset[str] | None]] = {}
        self._content_sizes: dict[int, int] = {}
        """Decompressed sizes of the compressed files in the bulk scan, by file id."""
        self._files_done = 0
        self._bytes_done = 0
        self._recent_ns = time.time_ns() - APPEND_WINDOW_NS

    def scan(self, targets: Iterable[ScanTarget]) -> list[FileState]:
        groups: dict[tuple[str, str], list[ScanTarget]] = {}
        for target in targets:
            groups.setdefault((target.source, target.format), []).append(target)
        stores: list[Job] = []
        lines: list[Job] = []
        for (source, name), group in groups.items():
            fmt = self._formats(source, name)
            if isinstance(fmt, StoreFormat):
                stores.append(partial(self._read_stores, fmt, group))
            else:
                lines += self._line_jobs(fmt, group)
        if stores:
            with_arrow()  # store rows go in as Arrow tables: set up before any query runs
        jobs = stores + lines  # Python-bound store reading first, beside the line scans
        if len(jobs) <= 1 or self._workers <= 1:
            done = [job(self._cursor) for job in jobs]
        else:
            # cursors are made here: cursor() is not thread-safe
            cursors = [self._cursor, *(self._cursor.cursor() for _ in range(self._workers - 1))]
            try:
                done = run_queue(cursors, jobs)
            finally:
                for extra in cursors[1:]:
                    extra.close()
        return [state for states in done for state in states]

    def _read_stores(
        self, fmt: StoreFormat, group: list[ScanTarget], cursor: duckdb.DuckDBPyConnection
    ) -> list[FileState]:
        work = [(target, FileState.of(target, "store")) for target in group]
        read_stores(cursor, fmt, work, lambda t: self._advance(1, t.size))
        return [state for _, state in work]

    # ------------------------------------------------------------------ line files

    def _line_jobs(self, fmt: LineFormat, targets: list[ScanTarget]) -> list[Job]:
        """The format's files as jobs: each big file alone (largest first, so the workers end
        together), then batches of the others, then the files only Python reads."""
        for statement in fmt.setup_sql:
            self._cursor.execute(statement)
        bulk: list[ScanTarget] = []
        python: list[ScanTarget] = []
        for target in targets:
            if target.offset:
                python.append(target)
            elif linereader.is_compressed(target.path):
                # DuckDB decompresses zstd itself; the byte check needs the content's size
                # (None: unreadable or cut inside a frame, which the tolerant reader reports)
                content = linereader.decompressed_size(target.path)
                if content is None:
                    python.append(target)
                else:
                    self._content_sizes[target.file_id] = content
                    bulk.append(target)
            else:
                bulk.append(target)
        big = sorted((t for t in bulk if self._size(t) > BIG_FILE), key=self._size, reverse=True)
        jobs: list[Job] = [partial(self._scan_batch, fmt, [target]) for target in big]
        small = [t for t in bulk if self._size(t) <= BIG_FILE]
        jobs += [
            partial(self._scan_batch, fmt, batch)
            for batch in _batches(small, self._size, self._batch_files)
        ]
        if python:
            jobs.append(partial(self._scan_python, fmt, python))
        return jobs

    def _scan_python(
        self, fmt: LineFormat, targets: list[ScanTarget], cursor: duckdb.DuckDBPyConnection
    ) -> list[FileState]:
        _reset_staging(cursor)
        states = [
            self._read_python(cursor, fmt, target, via="tail" if target.offset else "python")
            for target in targets
        ]
        self._stage(cursor, fmt, targets)
        self._advance(len(targets), sum(t.size - t.offset for t in targets))
        return states

    def _size(self, target: ScanTarget) -> int:
        """The bytes of lines a file holds (a compressed file's once decompressed)."""
        return self._content_sizes.get(target.file_id, target.size)

    def _advance(self, files: int, nbytes: int) -> None:
        with self._lock:
            self._files_done += files
            self._bytes_done += nbytes
            if self._progress is not None:
                self._progress(self._files_done, self._bytes_done)

    def _stage(
        self, cursor: duckdb.DuckDBPyConnection, fmt: LineFormat, targets: list[ScanTarget]
    ) -> None:
        if fmt.file_context is not None:
            _set_file_context(cursor, fmt.file_context, targets)
        guards = self._guards(fmt)
        present: set[str | None] = set()
        if any(kinds is not None for kinds in guards):
            present = {row[0] for row in cursor.execute(_STAGED_KINDS).fetchall()}
        for statement, kinds in zip(fmt.stage_sql, guards, strict=True):
            if kinds is None or not kinds.isdisjoint(present):
                cursor.execute(statement)
        cursor.execute("DELETE FROM staging")

    def _guards(self, fmt: LineFormat) -> list[frozenset[str] | None]:
        """The staging kinds each of ``fmt``'s stage statements reads (None: any batch)."""
        guards = self._stage_guards.get(id(fmt))
        if guards is None:
            guards = self._stage_guards[id(fmt)] = [staging_kinds(s) for s in fmt.stage_sql]
        return guards

    def _sql(self, fmt: LineFormat) -> str:
        text = self._scan_sql.get(id(fmt))
        if text is None:
            text = self._scan_sql[id(fmt)] = scan_statement(fmt)
        return text

    def _run_scan(
        self, cursor: duckdb.DuckDBPyConnection, fmt: LineFormat, batch: list[ScanTarget]
    ) -> None:
        cursor.execute(
            "CREATE OR REPLACE TEMP TABLE scan_files AS "
            "SELECT unnest(?::VARCHAR[]) AS path, unnest(?::UBIGINT[]) AS file_id",
            [[t.path for t in batch], [t.file_id for t in batch]],
        )
        cursor.execute(self._sql(fmt), {"files": [t.path for t in batch]})

    def _scan_batch(
        self, fmt: LineFormat, batch: list[ScanTarget], cursor: duckdb.DuckDBPyConnection
    ) -> list[FileState]:
        _reset_staging(cursor)
        states: list[FileState]
        try:
            self._run_scan(cursor, fmt, batch)
            states = self._verify(cursor, fmt, batch)
        except _BUGS:
            raise  # a broken query must fail loudly, not fall back to Python for every file
        except Exception:
            # One unreadable or vanished file fails the whole statement: go file by file.
            _reset_staging(cursor)
            states = [self._scan_one(cursor, fmt, target) for target in batch]
        self._stage(cursor, fmt, batch)
        self._advance(len(batch), sum(t.size for t in batch))
        return states

    def _scan_one(
        self, cursor: duckdb.DuckDBPyConnection, fmt: LineFormat, target: ScanTarget
    ) -> FileState:
        try:
            self._run_scan(cursor, fmt, [target])
        except _BUGS:
            raise
        except Exception:
            cursor.execute("DELETE FROM staging WHERE file_id = ?", [target.file_id])
            return self._read_python(cursor, fmt, target, via="python")
        return self._verify(cursor, fmt, [target])[0]

    def _verify(
        self, cursor: duckdb.DuckDBPyConnection, fmt: LineFormat, batch: list[ScanTarget]
    ) -> list[FileState]:
        """Check each file's byte count, fix unparsed lines, fall back where needed."""
        seen = {
            fid: (nbytes, lines, broken)
            for fid, nbytes, lines, broken in cursor.execute(
                "SELECT file_id, sum(bytes)::BIGINT, count(*)::BIGINT, "
                "count(*) FILTER (WHERE broken)::BIGINT FROM staging GROUP BY file_id"
            ).fetchall()
        }
        bad_rows = cursor.execute(
            "SELECT file_id, kind, bytes, bad, ordinal FROM staging WHERE bad IS NOT NULL"
        ).fetchall()
        if bad_rows:
            cursor.execute("DELETE FROM staging WHERE bad IS NOT NULL")
        bad_by_file: dict[int, list[tuple[str, int, str, int | None]]] = {}
        for fid, kind, nbytes, text, ordinal in bad_rows:
            bad_by_file.setdefault(fid, []).append((kind, nbytes, text, ordinal))

        states: list[FileState] = []
        fixed: list[dict[str, Any]] = []
        for target in batch:
            fid = target.file_id
            nbytes, lines, skipped = seen.get(fid, (0, 0, 0))
            if fid in self._content_sizes and nbytes != self._content_sizes[fid]:
                # a compressed file DuckDB did not read whole (a dropped line, no final
                # newline): the tolerant reader reads it all
                cursor.execute("DELETE FROM staging WHERE file_id = ?", [fid])
                states.append(self._read_python(cursor, fmt, target, via="python"))
                continue
            size = self._size(target)
            if nbytes + len(BOM) in (size, size + 1) and _starts_with_bom(target.path):
                nbytes += len(BOM)
            if nbytes not in (size, size + 1):
                recovered = self._recover_dropped_lines(fmt, target, nbytes)
                if recovered is None:
                    cursor.execute("DELETE FROM staging WHERE file_id = ?", [fid])
                    states.append(self._read_python(cursor, fmt, target, via="python"))
                    continue
                fixed += recovered.rows
                nbytes += recovered.processed_bytes
                lines += recovered.lines
                skipped += recovered.skipped
            state = FileState.of(target, "duckdb")
            state.end_offset, state.lines, state.skipped = target.size, lines, skipped
            tail_text: str | None = None
            if nbytes == size + 1:
                tail_text = self._incomplete_tail(target, state)
                if (
                    state.truncated_tail
                    and tail_text is not None
                    and fmt.classify(tail_text) is None
                    and linereader.looks_broken(tail_text.encode())
                ):
                    state.skipped -= 1  # the line being written is not malformed
                    state.lines -= 1
            for kind, row_bytes, text, ordinal in bad_by_file.get(fid, []):
                parsed = linereader.parse_json_line(text, kind, fmt)
                if parsed is not None:
                    fixed.append({"file_id": fid, "bytes": row_bytes, "ordinal": ordinal, **parsed})
                elif tail_text is not None and text == tail_text and state.truncated_tail:
                    state.lines -= 1
                else:
                    state.skipped += 1
            compressed = fid in self._content_sizes
            if fmt.appendable and not compressed and target.mtime_ns >= self._recent_ns:
                state.tail_sig = linereader.tail_signature(target.path, state.end_offset)
            states.append(state)
        insert_staging(cursor, fixed)
        return states

    def _recover_dropped_lines(
        self, fmt: LineFormat, target: ScanTarget, duckdb_bytes: int
    ) -> linereader.ReadResult | None:
        """Read just the lines DuckDB dropped (invalid UTF-8, over-long) with the tolerant
        reader; None when the bytes still do not add up (the file changed mid-scan …) or the
        format is ordered (recovered lines would have no ordinal among DuckDB's)."""
        if fmt.ordered:
            return None
        try:
            result = linereader.read_file(
                target.path, target.file_id, fmt, only_unreadable_by_duckdb=MAX_LINE
            )
        except OSError:
            return None
        if result.size != target.size:
            return None
        if duckdb_bytes + result.processed_bytes not in (target.size, target.size + 1):
            return None
        return result

    @staticmethod
    def _incomplete_tail(target: ScanTarget, state: FileState) -> str | None:
        """The last line of a file that lacks a final newline; sets ``end_offset`` before it and
        marks the file truncated when that line is not (yet) complete JSON."""
        try:
            start, tail = _last_line(target.path, target.size)
        except OSError:
            return None
        text = tail.decode("utf-8", "replace")
        if linereader.is_json(text):
            return text
        state.end_offset = start
        state.truncated_tail = bool(text.strip())
        return text

    def _read_python(
        self,
        cursor: duckdb.DuckDBPyConnection,
        fmt: LineFormat,
        target: ScanTarget,
        *,
        via: str,
    ) -> FileState:
        state = FileState.of(target, via)
        try:
            result = linereader.read_file(target.path, target.file_id, fmt, target.offset)
        except Exception as error:  # unreadable, vanished, a corrupt zstd frame: reported
            state.error = f"{type(error).__name__}: {getattr(error, 'strerror', None) or error}"
            return state
        insert_staging(cursor, result.rows)
        state.size, state.mtime_ns = result.size, result.mtime_ns
        state.end_offset, state.tail_sig = result.end_offset, result.tail_sig
        state.lines, state.skipped = result.lines, result.skipped
        state.truncated_tail = result.truncated_tail
        return state


_STAGED_KINDS = "SELECT DISTINCT kind FROM staging"


def _reset_staging(cursor: duckdb.DuckDBPyConnection) -> None:
    for statement in statements("staging", package=__package__):
        cursor.execute(statement)


def _set_file_context(
    cursor: duckdb.DuckDBPyConnection,
    derive: Callable[[str], Sequence[str | None]],
    targets: list[ScanTarget],
) -> None:
    """The ``file_context`` table of one batch (see :class:`LineFormat`)."""
    values: list[list[str | None]] = []
    for target in targets:
        try:
            ctx = [None if value is None else str(value) for value in derive(target.path)]
        except Exception:  # a source's bug must not stop the scan
            ctx = []
        values.append(ctx)
    cursor.execute(
        "CREATE OR REPLACE TEMP TABLE file_context AS "
        "SELECT unnest(?::UBIGINT[]) AS file_id, unnest(?::VARCHAR[][]) AS ctx",
        [[t.file_id for t in targets], values],
    )


def _bug_classes() -> tuple[type[Exception], ...]:
    from tokentree.data.engine import duckdb

    return (duckdb.ParserException, duckdb.BinderException, duckdb.CatalogException)


_BUGS = _bug_classes()


def _starts_with_bom(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(len(BOM)) == BOM
    except OSError:
        return False


def _last_line(path: str, size: int) -> tuple[int, bytes]:
    """(start offset, bytes) of the last line of a file that does not end with a newline."""
    with open(path, "rb") as handle:
        block = 1 << 16
        end = size
        collected = b""
        while end > 0:
            start = max(0, end - block)
            handle.seek(start)
            data = handle.read(end - start)
            newline = data.rfind(b"\n")
            if newline >= 0:
                collected = data[newline + 1 :] + collected
                return start + newline + 1, collected
            collected = data + collected
            end = start
            block = min(block * 2, 16 << 20)
        return 0, collected
