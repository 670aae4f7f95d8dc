"""The feed's two readers agree: DuckDB's rule (setup.sql, scan.sql) and its Python twin
(record.py) judge and extract every line the same way, so a file read in bulk and the same file
read by the tolerant reader (appended tails, lines DuckDB drops) give the same rows."""

from __future__ import annotations

import itertools
import json
import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.data.sources.jsonl.samples import write_lines
from tokentree.data.read import linereader
from tokentree.data.read.scan import scan_statement
from tokentree.data.sources.jsonl import record
from tokentree.data.sources.jsonl.feed import FEED_FORMAT
from tokentree.data.sqlfiles import statements

NUMBERS = [
    "0", "7", "007", "12.0", "12.4", "12.5", "12.7", "2.5", "0.5", "1e3", "1E2", "1.5e1",
    "123.456e1", "1.0e-2", "1e-5", "9223372036854775807", "9223372036854775808",
    "9223372036854775807.4", "9223372036854775807.6", "1e18", "1.7e19", "1e400",
    "1e999999999", "-1", "-0.0", "+5", " 5", "5 ", "1,000", "1_000", "0x10", "inf", "NaN",
    "Infinity", "", "true", "null", "1.", ".5", "٣",
]  # fmt: skip
TIMES = [
    "2026-11-20T10:00:00Z", "2026-11-20T10:00:00z", "2026-11-20 10:00:00+05",
    "2026-11-20T10:00:00+0530", "2026-11-20T10:00:00+05:30", "2026-11-20T10:00Z",
    "2026-11-20T10:00:00.123456789Z", "2026-11-20T10:00:00.1234567890Z", "2026-02-30T10:00:00Z",
    "2024-02-29T10:00:00Z", "2026-02-29T10:00:00Z", "2026-11-20T24:00:00Z",
    "2026-11-20T10:00:00", "2026-11-20T10:00:60Z", "2026-11-20T10:00:00-00:00",
    "2026-11-20T10:00:00+23:59", "2026-11-20T10:00:00+24:00", "2026-13-01T10:00:00Z",
    "2026-11-00T10:00:00Z", "0000-01-01T00:00:00Z", "0999-01-01T00:00:00Z",
    "9999-12-31T23:59:59-05:00", "20261120T100000Z", "2026-11-20", "yesterday",
    "1763632800", "1763632800.5", "1763632800123", "1763632800123456", "1763632800123456789",
    "99999999999999999999", "-1763632800", "",
]  # fmt: skip


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    for statement in statements("raw_tables", package="tokentree.data.store"):
        connection.execute(statement)
    for statement in FEED_FORMAT.setup_sql:
        connection.execute(statement)
    return connection


def test_numbers_are_read_alike(con: duckdb.DuckDBPyConnection) -> None:
    sql_values = con.execute(
        "SELECT list_transform(?::VARCHAR[], lambda s: feed_num(s))", [NUMBERS]
    ).fetchone()[0]
    assert sql_values == [record.number(text) for text in NUMBERS]
    assert record.number("12.5") == 13 and record.number("1e3") == 1000
    assert record.number("-1") is None and record.number("1e400") is None


def test_timestamps_are_judged_alike(con: duckdb.DuckDBPyConnection) -> None:
    sql_values = con.execute(
        "SELECT list_transform(?::VARCHAR[], lambda s: feed_time_ok(s))", [TIMES]
    ).fetchone()[0]
    assert sql_values == [record.valid_time(text) for text in TIMES]
    assert record.valid_time("2026-11-20T10:00:00+05:30")
    assert not record.valid_time("2026-11-20T10:00:00")  # no offset: ambiguous


def _records() -> list[list[str | None]]:
    """Value lists over the interesting combinations of the fields that decide validity."""
    names = [name for name, _ in record.FIELDS]
    choices = {
        "timestamp": ["2026-11-20T10:00:00Z", "1763632800", "2026-11-20T10:00:00", None],
        "model": ["gpt-4.1", "", None],
        "input": ["100", "100.5", "-1", "x", None],
        "output": ["5", None, "1e2"],
        "cache_read": [None, "60", "abc"],
        "cache_write": [None, "40", "-3"],
        "cache_write_1h": [None, "40", "41"],
        "cached_included": [None, "true", "false"],
        "reasoning": [None, "3", "9", "x"],
    }
    keys = list(choices)
    cases = []
    for combo in itertools.product(*(choices[key] for key in keys)):
        values: list[str | None] = [None] * len(names)
        for key, value in zip(keys, combo, strict=True):
            values[names.index(key)] = value
        cases.append(values)
    return cases


def test_records_are_judged_alike(con: duckdb.DuckDBPyConnection) -> None:
    cases = _records()
    sql_values = con.execute(
        "SELECT list_transform(?::VARCHAR[][], lambda x: CASE WHEN feed_ok(x, feed_nums(x)) "
        "THEN feed_staged(x, feed_nums(x)) END)",
        [cases],
    ).fetchone()[0]
    python_values = [record.staged(values) for values in cases]
    assert sql_values == python_values
    assert 0 < sum(v is not None for v in python_values) < len(cases)


LINES = [
    {"timestamp": "2026-11-20T10:00:00Z", "model": "gpt-4.1", "input_tokens": 1,
     "output_tokens": 2, "tools": ["Bash", {"name": "Read", "detail": "a.py", "id": 7},
                                   {"detail": "no name"}, 5, None, {"name": 3}]},
    {"timestamp": 1763632800.25, "model": "m", "input_tokens": "1e3", "output_tokens": 2.5,
     "cache_read_tokens": 100, "cached_included": True, "session_id": 42, "service": "svc",
     "reasoning_tokens": "x", "cost_usd": 1.5e-05, "tools": "not a list"},
    {"timestamp": "2026-11-20T10:00:00Z", "model": "m", "input_tokens": 1, "output_tokens": 1,
     "extra": {"nested": [1, 2, {"deep": "x" * 50}]}, "tools": {"name": "Bash"}},
    {"timestamp": "2026-11-20T10:00:00", "model": "m", "input_tokens": 1, "output_tokens": 1},
    {"model": "m", "input_tokens": 1, "output_tokens": 1},
    [1, 2, 3],
    "a string",
    None,
]  # fmt: skip


def _same_number(values: list[str | None] | None) -> list[object] | None:
    """JSON numbers are rendered differently by DuckDB and Python (``0.000015``/``1.5e-05``):
    compare their values."""
    if values is None:
        return None
    return [Decimal(v) if v is not None and re.fullmatch(record.NUMBER, v) else v for v in values]


def _staging(con: duckdb.DuckDBPyConnection, rows: str) -> list[tuple]:
    found = con.execute(
        f"SELECT kind, bytes, x, coalesce(overflow, []), bad IS NOT NULL, broken FROM {rows}"
    ).fetchall()
    return sorted(((k, b, _same_number(x), o, bad, br) for k, b, x, o, bad, br in found), key=repr)


def test_a_file_read_in_bulk_and_by_the_tolerant_reader_gives_the_same_rows(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    text = [json.dumps(item) for item in LINES] + ["", "{broken", "   "]
    path = write_lines(tmp_path / "f.jsonl", text)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE scan_files AS SELECT ? AS path, 1::UBIGINT AS file_id",
        [str(path)],
    )
    for statement in statements("staging", package="tokentree.data.read"):
        con.execute(statement)
    con.execute(
        scan_statement(FEED_FORMAT, 1 << 20),
        {"files": [str(path)]},
    )
    bulk = _staging(con, "staging WHERE bad IS NULL")
    bad = con.execute("SELECT bad FROM staging WHERE bad IS NOT NULL").fetchall()
    assert len(bad) == 2  # '{broken' and the blank-but-not-empty line: not JSON
    assert all(linereader.parse_json_line(b, "F", FEED_FORMAT) is None for (b,) in bad)

    result = linereader.read_file(str(path), 1, FEED_FORMAT)
    python = sorted(
        [
            (r["kind"], r["bytes"], _same_number(r.get("x")), r.get("overflow") or [], False, False)
            for r in result.rows
            if r["kind"] is not None
        ],
        key=repr,
    )
    assert [row for row in bulk if row[0] == "F"] == python
    # Invalid records (JSON, but not usage) are counted as skipped by both readers.
    assert sum(1 for row in bulk if row[5]) + len(bad) == result.skipped == 7
    first = next(row for row in python if row[2][0] == "2026-11-20T10:00:00Z" and row[3])
    assert [tool["name"] for tool in first[3]] == ["Bash", "Read", "3"]
