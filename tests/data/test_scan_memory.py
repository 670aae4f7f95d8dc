"""The bulk scan's memory does not grow with the size of a file of long lines: DuckDB's hash
join holds back a vector of its output rows, so the file ids are joined on the extracted rows
(a few fields each), never on the raw lines (``data/read/line_scan.sql``)."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tokentree.data.read.scan import scan_statement
from tokentree.data.source import LineFormat
from tokentree.data.sources import format_of
from tokentree.data.sqlfiles import statements
from tokentree.data.store.store import UsageStore

LINE_BYTES = 100_000
LINES = 500
"""A 50 MB file: held whole it adds ≈ 60 MB to the peak; read a vector at a time, < 10 MB."""
MAX_LINE = 256 << 10
"""Small read buffers (twice this), so that the file, not the buffers, would show."""
ALLOWED_GROWTH_KB = 20 << 10
"""Growth of the peak RSS the scan of that file may cause."""


def _status(field: str) -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise LookupError(field)


def _long_lines(path: Path, count: int) -> None:
    """A transcript of user lines carrying large tool results (never parsed, only counted)."""
    with open(path, "w") as handle:
        for n in range(count):
            content = [{"type": "tool_result", "content": "x" * LINE_BYTES}]
            line = {"type": "user", "uuid": f"u{n}", "message": {"content": content}}
            handle.write(json.dumps(line, separators=(",", ":")) + "\n")


def _scan(cursor: duckdb.DuckDBPyConnection, fmt: LineFormat, path: Path) -> int:
    """Rows of one bulk scan of ``path`` into a fresh staging table (temp tables are the
    cursor's own)."""
    for statement in statements("staging", package="tokentree.data.read"):
        cursor.execute(statement)
    cursor.execute(
        "CREATE OR REPLACE TEMP TABLE scan_files AS SELECT ? AS path, 7::UBIGINT AS file_id",
        [str(path)],
    )
    cursor.execute(scan_statement(fmt, MAX_LINE), {"files": [str(path)]})
    row = cursor.execute("SELECT count(*) FROM staging WHERE file_id = 7").fetchone()
    return row[0] if row else 0


def test_a_file_of_long_lines_is_not_held_whole(tmp_path: Path) -> None:
    clear_refs = Path("/proc/self/clear_refs")
    if not clear_refs.exists():
        pytest.skip("needs Linux's resettable peak RSS")
    fmt = format_of("claude", "transcript")
    assert isinstance(fmt, LineFormat)
    small, big = tmp_path / "small.jsonl", tmp_path / "big.jsonl"
    _long_lines(small, 20)
    _long_lines(big, LINES)
    store = UsageStore(threads=2)
    cursor = store.cursor()
    for statement in fmt.setup_sql:
        cursor.execute(statement)
    assert _scan(cursor, fmt, small) == 20  # the engine's code and pools warmed up
    try:
        clear_refs.write_text("5")  # the peak RSS starts again from the current RSS
    except OSError:
        pytest.skip("cannot reset the peak RSS")
    before = _status("VmRSS")
    assert _scan(cursor, fmt, big) == LINES
    growth = _status("VmHWM") - before
    store.close()
    assert growth < ALLOWED_GROWTH_KB, f"the scan's peak grew by {growth >> 10} MB"
