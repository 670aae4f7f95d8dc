"""Reading store files (a JSON document, a sqlite database, a sidecar) into the raw tables.

The source's reader turns one file into :class:`~tokentree.data.source.RawRows`; the engine
stamps every row with the file's id (and calls with the source), gathers the rows of many files
and appends them column-wise through Arrow, by column name, so a reader only sets the columns it
knows. Whatever a reader raises is reported as the file's error; it never stops the scan.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tokentree.data.source import StoreError, StoreFormat

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
SOURCE_STAMPED = ("raw_calls", "raw_limits")
"""Tables whose rows also carry the source's name."""
FLUSH_ROWS = 50_000


class StoreBatch:
    """Rows of several store files, appended to the raw tables together (one Arrow hand-off per
    table instead of one per file)."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self._cursor = cursor
        self._rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES.values()}
        self._states: list[FileState] = []
        self._pending = 0

    def read(self, fmt: StoreFormat, target: ScanTarget, state: FileState) -> FileState:
        """Read one file; its rows join the batch (flushed when large)."""
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
        for attribute, table in TABLES.items():
            records: list[dict[str, Any]] = getattr(rows, attribute)
            for record in records:
                record["file_id"] = target.file_id
                if table in SOURCE_STAMPED:
                    record["source"] = target.source
            self._rows[table] += records
            self._pending += len(records)
        state.lines, state.skipped, state.end_offset = rows.records, rows.skipped, target.size
        self._states.append(state)
        if self._pending >= FLUSH_ROWS:
            self.flush()
        return state

    def flush(self) -> None:
        """Append what was read. Rows the tables cannot take fail their whole batch of files,
        which are then inserted one by one so that only the offending files are lost."""
        rows, states = self._rows, self._states
        self._rows = {table: [] for table in TABLES.values()}
        self._states, self._pending = [], 0
        try:
            for table, records in rows.items():
                _insert(self._cursor, table, records)
        except Exception:
            for table, records in rows.items():
                ids = list({record["file_id"] for record in records})
                self._cursor.execute(
                    f"DELETE FROM {table} WHERE file_id IN (SELECT unnest(?::UBIGINT[]))", [ids]
                )
            if len(states) > 1:
                self._one_by_one(rows, states)
            else:
                for state in states:
                    state.error = "could not store its rows (a reader produced bad values)"

    def _one_by_one(self, rows: dict[str, list[dict[str, Any]]], states: list[FileState]) -> None:
        for state in states:
            try:
                for table, records in rows.items():
                    _insert(
                        self._cursor, table, [r for r in records if r["file_id"] == state.file_id]
                    )
            except Exception as error:
                for table in TABLES.values():
                    self._cursor.execute(f"DELETE FROM {table} WHERE file_id = ?", [state.file_id])
                state.error = f"could not store its rows ({type(error).__name__}: {error})"


def _insert(cursor: duckdb.DuckDBPyConnection, table: str, records: list[dict[str, Any]]) -> None:
    if not records:
        return
    import pyarrow as pa

    names: list[str] = []
    seen: set[str] = set()
    for record in records:
        for name in record:
            if name not in seen:
                seen.add(name)
                names.append(name)
    columns = {
        name: pa.array(
            [record.get(name) for record in records],
            type=pa.uint64() if name == "file_id" else None,
        )
        for name in names
    }
    cursor.register("store_rows", pa.table(columns))
    try:
        cursor.execute(f"INSERT INTO {table} BY NAME SELECT * FROM store_rows")
    finally:
        cursor.unregister("store_rows")
