"""Reading store files (a JSON document, a sqlite database, a sidecar) into the raw tables.

The source's reader turns one file into :class:`~tokentree.data.source.RawRows`; the engine
stamps every row with the file's id (and calls with the source), converts them column-wise
through Arrow and appends them by column name, so a reader only sets the columns it knows.
Whatever a reader raises is reported as the file's error; it never stops the scan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tokentree.data.source import RawRows, Rows, StoreError, StoreFormat

if TYPE_CHECKING:
    import duckdb

    from tokentree.data.scan import FileState, ScanTarget

TABLES = {
    "calls": "raw_calls",
    "prompts": "raw_prompts",
    "events": "raw_events",
    "agents": "raw_agents",
    "limits": "raw_limits",
}


def read_store(
    cursor: duckdb.DuckDBPyConnection, fmt: StoreFormat, target: ScanTarget, state: FileState
) -> FileState:
    """Read one store file into the raw tables; its outcome in ``state``."""
    try:
        rows = fmt.read(target.path)
    except OSError as error:
        state.error = f"{type(error).__name__}: {error.strerror or error}"
        return state
    except StoreError as error:
        state.error = str(error)
        return state
    except Exception as error:  # a reader bug or input nobody foresaw: reported, never fatal
        state.error = f"could not read ({type(error).__name__}: {error})"
        return state
    try:
        insert_rows(cursor, rows, target.file_id, target.source)
    except Exception as error:  # rows of a shape the tables cannot take: none of them count
        for table in TABLES.values():
            cursor.execute(f"DELETE FROM {table} WHERE file_id = ?", [target.file_id])
        state.error = f"could not store its rows ({type(error).__name__}: {error})"
        return state
    state.lines, state.skipped, state.end_offset = rows.records, rows.skipped, target.size
    return state


def insert_rows(
    cursor: duckdb.DuckDBPyConnection, rows: RawRows, file_id: int, source: str
) -> None:
    """Append a reader's rows to the raw tables (columns it leaves out take their defaults)."""
    for attribute, table in TABLES.items():
        records: Rows = getattr(rows, attribute)
        columns = _columns(records)
        if columns and len(next(iter(columns.values()))):
            stamp = {"file_id": ("UBIGINT", file_id)}
            if table in ("raw_calls", "raw_limits"):
                stamp["source"] = ("VARCHAR", source)
            _insert(cursor, table, columns, stamp)


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
    columns: dict[str, list[Any]],
    stamp: dict[str, tuple[str, Any]],
) -> None:
    import pyarrow as pa

    arrow = pa.table({name: values for name, values in columns.items() if name not in stamp})
    constants = ", ".join(
        f"${i + 1}::{kind} AS {name}" for i, (name, (kind, _)) in enumerate(stamp.items())
    )
    cursor.register("store_rows", arrow)
    try:
        cursor.execute(
            f"INSERT INTO {table} BY NAME SELECT {constants}, * FROM store_rows",
            [value for _, value in stamp.values()],
        )
    finally:
        cursor.unregister("store_rows")
