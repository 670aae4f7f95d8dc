"""Reading store files (a JSON document, a sqlite database, a sidecar) into the raw tables.

The source's reader turns one file into :class:`~tokentree.data.source.RawRows`; the engine
stamps every row with the file's id (and calls with the source), converts them column-wise
through Arrow and appends them by column name, so a reader only sets the columns it knows — the
rows of many small files in one statement. Whatever a reader raises is reported as the file's
error; it never stops the scan.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tokentree.data.source import RawRows, Rows, StoreError, StoreFormat

if TYPE_CHECKING:
    import duckdb

    from tokentree.data.read.scan import FileState, ScanTarget

TABLES = {
    "calls": "raw_calls",
    "prompts": "raw_prompts",
    "events": "raw_events",
    "agents": "raw_agents",
    "limits": "raw_limits",
}


BATCH_FILES = 1000
BATCH_ROWS = 200_000
"""Rows of up to this many small store files (or rows) go into the tables in one statement: an
insert costs milliseconds, a legacy OpenCode history has one file per message."""


def read_stores(
    cursor: duckdb.DuckDBPyConnection,
    fmt: StoreFormat,
    work: list[tuple[ScanTarget, FileState]],
    done: Callable[[ScanTarget], None] | None = None,
) -> None:
    """Read store files of one format into the raw tables; each outcome in its state. ``done``
    is called after each file is read."""
    batch: list[tuple[ScanTarget, FileState, RawRows]] = []
    rows_in_batch = 0
    for target, state in work:
        rows = _read(fmt, target, state)
        if done is not None:
            done(target)
        if rows is None:
            continue
        batch.append((target, state, rows))
        rows_in_batch += sum(_length(getattr(rows, attribute)) for attribute in TABLES)
        if len(batch) >= BATCH_FILES or rows_in_batch >= BATCH_ROWS:
            _store(cursor, batch)
            batch, rows_in_batch = [], 0
    if batch:
        _store(cursor, batch)


def read_store(
    cursor: duckdb.DuckDBPyConnection, fmt: StoreFormat, target: ScanTarget, state: FileState
) -> FileState:
    """Read one store file into the raw tables; its outcome in ``state``."""
    read_stores(cursor, fmt, [(target, state)])
    return state


def _read(fmt: StoreFormat, target: ScanTarget, state: FileState) -> RawRows | None:
    try:
        return fmt.read(target.path)
    except OSError as error:
        state.error = f"{type(error).__name__}: {error.strerror or error}"
    except StoreError as error:
        state.error = str(error)
    except Exception as error:  # a reader bug or input nobody foresaw: reported, never fatal
        state.error = f"could not read ({type(error).__name__}: {error})"
    return None


def _store(
    cursor: duckdb.DuckDBPyConnection, batch: list[tuple[ScanTarget, FileState, RawRows]]
) -> None:
    """Insert a batch of files' rows at once; if that fails, file by file, so that only the
    files whose rows the tables cannot take are reported (none of their rows count)."""
    try:
        _insert_many(cursor, [(rows, t.file_id, t.source) for t, _, rows in batch])
    except Exception:
        _delete(cursor, [t.file_id for t, _, _ in batch])
        for target, state, rows in batch:
            try:
                insert_rows(cursor, rows, target.file_id, target.source)
            except Exception as error:
                _delete(cursor, [target.file_id])
                state.error = f"could not store its rows ({type(error).__name__}: {error})"
            else:
                _done(target, state, rows)
        return
    for target, state, rows in batch:
        _done(target, state, rows)


def _done(target: ScanTarget, state: FileState, rows: RawRows) -> None:
    state.lines, state.skipped, state.end_offset = rows.records, rows.skipped, target.size


def _delete(cursor: duckdb.DuckDBPyConnection, file_ids: list[int]) -> None:
    for table in TABLES.values():
        cursor.execute(
            f"DELETE FROM {table} WHERE list_contains(?::UBIGINT[], file_id)", [file_ids]
        )


def insert_rows(
    cursor: duckdb.DuckDBPyConnection, rows: RawRows, file_id: int, source: str
) -> None:
    """Append a reader's rows to the raw tables (columns it leaves out take their defaults)."""
    _insert_many(cursor, [(rows, file_id, source)])


def _insert_many(cursor: duckdb.DuckDBPyConnection, items: list[tuple[RawRows, int, str]]) -> None:
    """Append several files' rows, each stamped with its file id (and calls and limits with the
    source): one statement per table and set of columns."""
    for attribute, table in TABLES.items():
        groups: dict[tuple[str, ...], list[tuple[dict[str, list[Any]], int, str]]] = {}
        for rows, file_id, source in items:
            columns = _columns(getattr(rows, attribute))
            if columns and _length(columns):
                groups.setdefault(tuple(columns), []).append((columns, file_id, source))
        for names, parts in groups.items():
            _insert(cursor, table, names, parts)


def _length(records: Rows) -> int:
    if isinstance(records, dict):
        return len(next(iter(records.values()))) if records else 0
    return len(records)


def _columns(records: Rows) -> dict[str, list[Any]]:
    """Row dicts as columns (a column mapping is already one)."""
    if isinstance(records, dict):
        return records
    names: list[str] = []
    for record in records:
        for name in record:
            if name not in names:
                names.append(name)
    return {name: [record.get(name) for record in records] for name in names}


def _insert(
    cursor: duckdb.DuckDBPyConnection,
    table: str,
    names: tuple[str, ...],
    parts: list[tuple[dict[str, list[Any]], int, str]],
) -> None:
    import pyarrow as pa

    from tokentree.data.engine import with_arrow

    with_arrow()
    data: dict[str, Any] = {}
    stamped = table in ("raw_calls", "raw_limits")
    names = tuple(n for n in names if n not in ("file_id", "source"))
    for name in names:
        data[name] = [v for columns, _, _ in parts for v in columns[name]]
    counts = [_length(columns) for columns, _, _ in parts]
    ids = [file_id for (_, file_id, _), n in zip(parts, counts, strict=True) for _ in range(n)]
    data["file_id"] = pa.array(ids, type=pa.uint64())
    if stamped:
        data["source"] = [
            src for (_, _, src), n in zip(parts, counts, strict=True) for _ in range(n)
        ]
    cursor.register("store_rows", pa.table(data))
    try:
        cursor.execute(f"INSERT INTO {table} BY NAME SELECT * FROM store_rows")
    finally:
        cursor.unregister("store_rows")
