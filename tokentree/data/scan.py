"""Reading transcripts into the raw tables: DuckDB in bulk, verified, Python where needed.

For each batch of whole files DuckDB runs ``sql/claude_scan.sql`` into the staging table. The
scan then checks, per file, that the bytes it saw add up to the file's size; a file that does not
add up (a line DuckDB dropped or could not decode, a file that changed while being read) is read
again by the tolerant reader, which replaces its rows. Lines DuckDB could split but not parse
(lone surrogate escapes) are re-parsed in Python one by one. Appended tails are read by the
tolerant reader from their last offset. Finally ``sql/claude_stage.sql`` types the staging rows
into the raw tables.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tokentree.data import linereader
from tokentree.data.sources import claude
from tokentree.data.sqlfiles import sql, statements

if TYPE_CHECKING:
    import duckdb

BIG_FILE = 48 << 20
"""Files above this size are scanned one at a time, so the CSV reader's buffers stay bounded."""
BATCH_BYTES = 256 << 20
BATCH_FILES = 2000
MAX_LINE = 8 << 20
"""Longer lines are dropped by DuckDB's reader; the byte check sends their file to Python."""

APPEND_WINDOW_NS = 2 * 86_400 * 10**9
"""Files modified within this window get a tail signature so a later append can be read from
its offset; an older file that grows again is simply read whole (one open per file saved)."""

ProgressCallback = Callable[[int, int], None]
"""Called with (files done, bytes done) after each batch."""


@dataclass(frozen=True, slots=True)
class ScanTarget:
    """A file to read, whole (``offset == 0``) or from an offset (an appended tail)."""

    path: str
    size: int
    mtime_ns: int
    offset: int = 0


@dataclass(slots=True)
class FileState:
    """What is known about a file after reading it; the persisted cache's manifest row."""

    file_id: int
    path: str
    source: str
    size: int
    mtime_ns: int
    end_offset: int = 0
    tail_sig: str = ""
    lines: int = 0
    skipped: int = 0
    truncated_tail: bool = False
    error: str | None = None
    via: str = "duckdb"
    """``duckdb``, ``python`` (tolerant re-read) or ``tail`` (appended lines only)."""


STAGING_COLUMNS = ("file_id", "kind", "bytes", "x", "overflow", "bad", "broken")
STAGING_TYPES = (
    "UBIGINT[]",
    "VARCHAR[]",
    "BIGINT[]",
    "VARCHAR[][]",
    "STRUCT(id VARCHAR, name VARCHAR, detail VARCHAR)[][]",
    "VARCHAR[]",
    "BOOLEAN[]",
)


def _paths(kind: str) -> str:
    return "[" + ", ".join(f"'{path}'" for _, path in claude.FIELDS_BY_KIND[kind]) + "]"


def _render_scan() -> str:
    """``sql/claude_scan.sql`` with the extraction lists filled in."""
    return sql(
        "claude_scan",
        paths_a=_paths("A"),
        paths_u=_paths("U"),
        paths_s=_paths("S"),
        i_b1_type=claude.index("A", "b1_type"),
        input_detail=", ".join(f"b.input->>'{key}'" for key in claude.TOOL_DETAIL_KEYS),
        detail_limit=claude.DETAIL_LIMIT,
        top_level_skip=claude.TOP_LEVEL_SKIP.replace("'", "''"),
        spaced_prefix=claude.SPACED_PREFIX,
        max_line_size=MAX_LINE,
        buffer_size=2 * MAX_LINE,
    )


def _render_stage() -> list[str]:
    """``sql/claude_stage.sql`` with field positions filled in."""
    positions: dict[str, object] = {}
    for kind, fields in claude.FIELDS_BY_KIND.items():
        for name, _ in fields:
            positions[f"{kind.lower()}_{name}"] = claude.index(kind, name)
    positions["a_detail"] = ", ".join(
        f"x[{claude.index('A', 'in_' + key)}]" for key in claude.TOOL_DETAIL_KEYS
    )
    positions["detail_limit"] = claude.DETAIL_LIMIT
    positions["text_limit"] = claude.TEXT_LIMIT
    return statements("claude_stage", **positions)


def _batches(targets: list[ScanTarget]) -> Iterator[list[ScanTarget]]:
    batch: list[ScanTarget] = []
    batch_bytes = 0
    for target in targets:
        batch.append(target)
        batch_bytes += target.size
        if len(batch) >= BATCH_FILES or batch_bytes >= BATCH_BYTES:
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
        self, cursor: duckdb.DuckDBPyConnection, progress: ProgressCallback | None = None
    ) -> None:
        self._cursor = cursor
        self._progress = progress
        self._scan_sql = _render_scan()
        self._stage_sql = _render_stage()
        self._files_done = 0
        self._bytes_done = 0
        self._ids: dict[str, int] = {}
        self._recent_ns = time.time_ns() - APPEND_WINDOW_NS

    def scan(self, targets: Iterable[ScanTarget]) -> list[FileState]:
        targets = list(targets)
        self._ids.update(
            file_ids(self._cursor, [t.path for t in targets if t.path not in self._ids])
        )
        whole = [t for t in targets if t.offset == 0]
        tails = [t for t in targets if t.offset > 0]
        states: list[FileState] = []
        for batch in _batches([t for t in whole if t.size <= BIG_FILE]):
            states += self._scan_batch(batch)
        for target in (t for t in whole if t.size > BIG_FILE):
            states += self._scan_batch([target])
        if tails:
            self._reset_staging()
            states += [self._read_python(t, via="tail") for t in tails]
            self._stage()
            self._advance(len(tails), sum(t.size - t.offset for t in tails))
        return states

    # ------------------------------------------------------------------ internals

    def _advance(self, files: int, nbytes: int) -> None:
        self._files_done += files
        self._bytes_done += nbytes
        if self._progress is not None:
            self._progress(self._files_done, self._bytes_done)

    def _reset_staging(self) -> None:
        for statement in statements("staging"):
            self._cursor.execute(statement)

    def _stage(self) -> None:
        for statement in self._stage_sql:
            self._cursor.execute(statement)
        self._cursor.execute("DELETE FROM staging")

    def _scan_batch(self, batch: list[ScanTarget]) -> list[FileState]:
        cursor = self._cursor
        self._reset_staging()
        states: list[FileState]
        try:
            cursor.execute(self._scan_sql, {"files": [t.path for t in batch]})
            states = self._verify(batch)
        except Exception:
            # One unreadable or vanished file fails the whole statement: go file by file.
            self._reset_staging()
            states = [self._scan_one(target) for target in batch]
        self._stage()
        self._advance(len(batch), sum(t.size for t in batch))
        return states

    def _scan_one(self, target: ScanTarget) -> FileState:
        try:
            self._cursor.execute(self._scan_sql, {"files": [target.path]})
        except Exception:
            self._cursor.execute("DELETE FROM staging WHERE file_id = ?", [self._ids[target.path]])
            return self._read_python(target, via="python")
        return self._verify([target])[0]

    def _verify(self, batch: list[ScanTarget]) -> list[FileState]:
        """Check each file's byte count, fix unparsed lines, fall back where needed."""
        cursor = self._cursor
        seen = {
            file_id: (nbytes, lines, broken)
            for file_id, nbytes, lines, broken in cursor.execute(
                "SELECT file_id, sum(bytes)::BIGINT, count(*)::BIGINT, "
                "count(*) FILTER (WHERE broken)::BIGINT FROM staging GROUP BY file_id"
            ).fetchall()
        }
        bad_rows = cursor.execute(
            "SELECT file_id, kind, bytes, bad FROM staging WHERE bad IS NOT NULL"
        ).fetchall()
        if bad_rows:
            cursor.execute("DELETE FROM staging WHERE bad IS NOT NULL")
        bad_by_file: dict[int, list[tuple[str, int, str]]] = {}
        for file_id, kind, nbytes, text in bad_rows:
            bad_by_file.setdefault(file_id, []).append((kind, nbytes, text))

        states: list[FileState] = []
        fixed: list[dict[str, Any]] = []
        for target in batch:
            nbytes, lines, skipped = seen.get(self._ids[target.path], (0, 0, 0))
            if nbytes not in (target.size, target.size + 1):
                recovered = self._recover_dropped_lines(target, nbytes)
                if recovered is None:
                    cursor.execute(
                        "DELETE FROM staging WHERE file_id = ?", [self._ids[target.path]]
                    )
                    states.append(self._read_python(target, via="python"))
                    continue
                fixed += recovered.rows
                nbytes += recovered.processed_bytes
                lines += recovered.lines
                skipped += recovered.skipped
            state = FileState(
                self._ids[target.path],
                target.path,
                claude.SOURCE,
                target.size,
                target.mtime_ns,
                end_offset=target.size,
                lines=lines,
                skipped=skipped,
            )
            tail_text: str | None = None
            if nbytes == target.size + 1:
                tail_text = self._incomplete_tail(target, state)
                if (
                    state.truncated_tail
                    and tail_text is not None
                    and claude.classify(tail_text) is None
                    and linereader.looks_broken(tail_text.encode())
                ):
                    state.skipped -= 1  # the line being written is not malformed
                    state.lines -= 1
            for kind, row_bytes, text in bad_by_file.get(self._ids[target.path], []):
                parsed = linereader.parse_json_line(text, kind)
                if parsed is not None:
                    fixed.append({"file_id": self._ids[target.path], "bytes": row_bytes, **parsed})
                elif tail_text is not None and text == tail_text and state.truncated_tail:
                    state.lines -= 1
                else:
                    state.skipped += 1
            if target.mtime_ns >= self._recent_ns:
                state.tail_sig = linereader.tail_signature(target.path, state.end_offset)
            states.append(state)
        insert_staging(cursor, fixed)
        return states

    def _recover_dropped_lines(
        self, target: ScanTarget, duckdb_bytes: int
    ) -> linereader.ReadResult | None:
        """Read just the lines DuckDB dropped (invalid UTF-8, over-long) with the tolerant
        reader; None when the bytes still do not add up (the file changed mid-scan …)."""
        try:
            result = linereader.read_file(
                target.path, self._ids[target.path], only_unreadable_by_duckdb=MAX_LINE
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
        if linereader._is_json(text, None):
            return text
        state.end_offset = start
        state.truncated_tail = bool(text.strip())
        return text

    def _read_python(self, target: ScanTarget, *, via: str) -> FileState:
        state = FileState(
            self._ids[target.path],
            target.path,
            claude.SOURCE,
            target.size,
            target.mtime_ns,
            via=via,
        )
        try:
            result = linereader.read_file(target.path, self._ids[target.path], target.offset)
        except OSError as error:
            state.error = f"{type(error).__name__}: {error.strerror or error}"
            return state
        insert_staging(self._cursor, result.rows)
        state.size, state.mtime_ns = result.size, result.mtime_ns
        state.end_offset, state.tail_sig = result.end_offset, result.tail_sig
        state.lines, state.skipped = result.lines, result.skipped
        state.truncated_tail = result.truncated_tail
        return state


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


def file_ids(cursor: duckdb.DuckDBPyConnection, paths: list[str]) -> dict[str, int]:
    """Each file's identity: DuckDB's ``hash(path)`` — what the bulk scan computes per row from
    the file name, so Python-made rows and cached rows agree with it."""
    if not paths:
        return {}
    rows = cursor.execute("SELECT p, hash(p) FROM (SELECT unnest(?) AS p)", [paths]).fetchall()
    return dict(rows)
