"""A tolerant reader's Python twin against the DuckDB scan: the same files scanned whole (DuckDB)
and from after a head line (the Python tail reader) give the same raw rows."""

from __future__ import annotations

from pathlib import Path

from tokentree.data.read.scan import Scanner, ScanTarget
from tokentree.data.store.store import UsageStore

TABLES = ("raw_calls", "raw_prompts")


def scanned_rows(paths: list[Path], source: str, fmt: str, offset: int) -> dict[str, list[tuple]]:
    """The raw rows and skipped-line counts of ``paths`` read from ``offset``."""
    store = UsageStore()
    try:
        targets = [
            ScanTarget(str(p), p.stat().st_size, p.stat().st_mtime_ns, source, fmt, offset)
            for p in paths
        ]
        states = Scanner(store.cursor()).scan(targets)
        assert {s.via for s in states} == {"tail" if offset else "duckdb"}
        rows = {
            table: sorted(store.cursor().execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in TABLES
        }
        rows["skipped"] = sorted((s.path, s.skipped) for s in states)
        return rows
    finally:
        store.close()


def assert_python_reads_as_the_scan(paths: list[Path], source: str, fmt: str, head: bytes) -> None:
    """Put ``head`` before every file, then compare the whole scan with the tail read after it."""
    for path in paths:
        path.write_bytes(head + path.read_bytes())
    by_duckdb = scanned_rows(paths, source, fmt, 0)
    by_python = scanned_rows(paths, source, fmt, len(head))
    assert len(by_duckdb["raw_calls"]) > 100 and by_duckdb["raw_prompts"]
    assert by_python == by_duckdb
