"""The tolerant reader's Python twin (records.classify / parse) reads a generated Qwen Code history
into the same raw rows as the DuckDB scan (scan.sql), so appended records and files read in Python
count the same."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from bench.plan import make_plan
from bench.writers import qwen as writer
from tokentree.data.scan import Scanner, ScanTarget
from tokentree.data.store import UsageStore

HEAD = b'{"uuid":"h","type":"system","subtype":"custom_title","sessionId":"h"}\n'
TABLES = ("raw_calls", "raw_prompts")


def _read(paths: list[Path], offset: int) -> dict[str, list[tuple]]:
    store = UsageStore()
    try:
        targets = [
            ScanTarget(str(p), p.stat().st_size, p.stat().st_mtime_ns, "qwen", "chat", offset)
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


def test_python_reads_chats_as_the_scan_does(tmp_path: Path) -> None:
    rng = random.Random(6)
    plan = make_plan(rng, writer.SHAPE, sessions=12, start=date(2026, 6, 1), days=3)
    writer.write(plan, tmp_path / "home", rng)
    paths = []
    for path in sorted((tmp_path / "home" / ".qwen").rglob("*.jsonl")):
        path.write_bytes(HEAD + path.read_bytes())
        paths.append(path)
    by_duckdb = _read(paths, 0)
    by_python = _read(paths, len(HEAD))
    assert len(by_duckdb["raw_calls"]) > 100 and by_duckdb["raw_prompts"]
    assert by_python == by_duckdb
