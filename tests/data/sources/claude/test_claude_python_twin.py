"""The tolerant reader's Python twin of the scan (lines.classify / extract_line) reads every line
of a generated corpus — copies, advisors, whitespace variants, broken lines — into the same raw
rows as the DuckDB scan (scan.sql), so appended tails and fallback reads count the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tokentree.data.read.scan import Scanner, ScanTarget
from tokentree.data.store.store import UsageStore

HEAD = b'{"type":"summary","summary":"head","leafUuid":"h"}\n'
TABLES = {
    "raw_calls": "SELECT * FROM raw_calls",
    "raw_prompts": "SELECT * FROM raw_prompts",
    "raw_events": "SELECT * FROM raw_events",
    "kinds": "SELECT count(*) FILTER (WHERE is_copy), count(*) FILTER (WHERE call_id LIKE "
    "'%#advisor%'), count(DISTINCT file_id) FROM raw_calls",
}


def _read(paths: list[Path], offset: int) -> tuple[dict[str, list[tuple]], list[tuple]]:
    store = UsageStore()
    try:
        targets = [
            ScanTarget(
                str(p), p.stat().st_size, p.stat().st_mtime_ns, "claude", "transcript", offset
            )
            for p in paths
        ]
        states = Scanner(store.cursor()).scan(targets)
        rows = {
            name: sorted(store.cursor().execute(query).fetchall(), key=repr)
            for name, query in TABLES.items()
        }
        return rows, sorted((s.path, s.skipped, s.truncated_tail) for s in states)
    finally:
        store.close()


def test_python_reads_the_generated_corpus_as_the_scan_does(
    small_corpus: tuple[Path, Any], tmp_path: Path
) -> None:
    root, _ = small_corpus
    paths = []
    for source in sorted(root.rglob("*.jsonl")):
        data = source.read_bytes()
        if data.startswith(b"\xef\xbb\xbf"):
            continue  # a byte-order mark is only ever at a file's start, never in a tail
        target = tmp_path / source.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(HEAD + data)
        paths.append(target)
    by_duckdb, duckdb_states = _read(paths, 0)
    by_python, python_states = _read(paths, len(HEAD))
    assert len(by_duckdb["raw_calls"]) > 300 and by_duckdb["raw_prompts"]
    ((copies, advisors, files),) = by_duckdb["kinds"]
    assert copies and advisors and files > 20
    for name in TABLES:
        assert by_python[name] == by_duckdb[name], name
    assert python_states == duckdb_states
