"""A store reader may hand its rows as row dicts or as columns; both land in the raw tables the
same way, and columns a reader leaves out take the table's defaults."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from tokentree.data.source import RawRows
from tokentree.data.sqlfiles import statements
from tokentree.data.stores import insert_rows

CALLS = [
    {
        "call_id": "a",
        "ts": datetime(2026, 5, 1, 10, tzinfo=UTC),
        "input": 3,
        "output": 4,
        "tools": [{"id": "t1", "name": "Bash", "detail": "ls"}],
    },
    {"call_id": "b", "ts": datetime(2026, 5, 1, 11, tzinfo=UTC), "input": 5, "output": 6},
]


def table(rows: RawRows) -> list[tuple]:
    connection = duckdb.connect()
    for statement in statements("raw_tables"):
        connection.execute(statement)
    insert_rows(connection, rows, 7, "demo")
    return connection.execute(
        "SELECT file_id, source, call_id, ts, input, output, cache_read, lines, is_sidechain,"
        " tools FROM raw_calls ORDER BY call_id"
    ).fetchall()


def test_columns_and_row_dicts_land_the_same() -> None:
    columns = {
        name: [row.get(name) for row in CALLS]
        for name in ("call_id", "ts", "input", "output", "tools")
    }
    as_rows = table(RawRows(calls=CALLS))
    assert as_rows == table(RawRows(calls=columns))
    assert [r[:2] for r in as_rows] == [(7, "demo"), (7, "demo")]
    assert [r[6:9] for r in as_rows] == [(0, 1, False), (0, 1, False)]  # the defaults
    assert as_rows[0][9] == [{"id": "t1", "name": "Bash", "detail": "ls"}]


def test_empty_columns_insert_nothing() -> None:
    assert table(RawRows(calls={"call_id": [], "input": []})) == []
    assert table(RawRows(calls={})) == []
