"""A store reader may hand its rows as row dicts or as columns; both land in the raw tables the
same way, and columns a reader leaves out take the table's defaults."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from tokentree.data.read.stores import insert_rows
from tokentree.data.source import RawRows
from tokentree.data.sqlfiles import statements

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
    for statement in statements("raw_tables", package="tokentree.data.store"):
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


def test_many_files_in_one_batch_and_a_file_the_tables_cannot_take(tmp_path) -> None:
    """Rows of many small files go in together; a file whose rows do not fit is reported and
    none of its rows count, the others all do."""
    from tokentree.data.read.scan import FileState, ScanTarget
    from tokentree.data.read.stores import read_stores
    from tokentree.data.source import StoreFormat

    def read(path: str) -> RawRows:
        if path.endswith("bad"):
            return RawRows(calls=[{"call_id": "x", "input": "not a number"}], records=1)
        index = int(path.rsplit("-", 1)[1])
        calls = [{"call_id": f"c{index}", "ts": datetime(2026, 5, 1, tzinfo=UTC), "input": index}]
        return RawRows(calls=calls, records=1)

    connection = duckdb.connect()
    for statement in statements("raw_tables", package="tokentree.data.store"):
        connection.execute(statement)
    names = [f"f-{i}" for i in range(1, 2001)]
    names.insert(500, "f-bad")  # in the first batch: that batch goes in file by file
    targets = [ScanTarget(str(tmp_path / name), 1, 1, "demo", "doc") for name in names]
    work = [(t, FileState.of(t, "store")) for t in targets]
    read_stores(connection, StoreFormat("doc", read), work)
    errors = {t.path.rsplit("/", 1)[1]: s.error for t, s in work if s.error}
    assert list(errors) == ["f-bad"] and "could not store its rows" in errors["f-bad"]
    count, total, files = connection.execute(
        "SELECT count(*), sum(input), count(DISTINCT file_id) FROM raw_calls"
    ).fetchone()
    assert (count, total, files) == (2000, sum(range(1, 2001)), 2000)
    assert all(s.lines == 1 for t, s in work if not s.error)
