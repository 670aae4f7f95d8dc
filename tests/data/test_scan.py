"""The bulk scan reads clean files itself (the tolerant reader is only the exception), and a
query the engine got wrong fails loudly instead of silently falling back to Python."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tokentree.data.read.scan import Scanner, ScanTarget
from tokentree.data.source import LineFormat
from tokentree.data.sources import format_of
from tokentree.data.store.store import UsageStore


def targets(root: Path) -> list[ScanTarget]:
    return [
        ScanTarget(str(p), p.stat().st_size, p.stat().st_mtime_ns, "claude", "transcript")
        for p in sorted(root.rglob("*.jsonl"))
    ]


def test_clean_real_transcripts_are_read_by_duckdb(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "claude", tmp_path / "p")
    store = UsageStore()
    states = Scanner(store.cursor()).scan(targets(tmp_path))
    assert states and {s.via for s in states} == {"duckdb"}
    assert all(s.error is None and s.end_offset == s.size for s in states)
    assert store.scalar("SELECT count(*) FROM raw_calls") > 0
    store.close()


def test_a_broken_scan_query_raises(tmp_path: Path) -> None:
    import duckdb

    shutil.copytree(FIXTURES / "claude", tmp_path / "p")
    real = format_of("claude", "transcript")
    assert isinstance(real, LineFormat)
    broken = LineFormat(
        name=real.name,
        scan_sql="SELECT no_such_column FROM lines",
        stage_sql=real.stage_sql,
        classify=real.classify,
        parse=real.parse,
    )
    store = UsageStore()
    with pytest.raises(duckdb.BinderException):
        Scanner(store.cursor(), lambda source, name: broken).scan(targets(tmp_path))
    store.close()


def test_a_bom_costs_no_line_and_stays_on_the_bulk_path(tmp_path: Path) -> None:
    source = FIXTURES / "claude" / "spotter" / "tool_heavy.jsonl"
    plain = tmp_path / "plain" / "s.jsonl"
    bom = tmp_path / "bom" / "s.jsonl"
    for path, prefix in ((plain, b""), (bom, b"\xef\xbb\xbf")):
        path.parent.mkdir(parents=True)
        path.write_bytes(prefix + source.read_bytes())
    counts = []
    for root in (plain.parent, bom.parent):
        store = UsageStore()
        states = Scanner(store.cursor()).scan(targets(root))
        assert [s.via for s in states] == ["duckdb"] and states[0].skipped == 0
        counts.append(store.scalar("SELECT [count(*), sum(output)] FROM raw_calls"))
        store.close()
    assert counts[0] == counts[1] and counts[0][0] > 0
    assert os.path.getsize(bom) == os.path.getsize(plain) + 3


def _tables(store: UsageStore) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: sorted(store.cursor().execute(f"SELECT * FROM {table}").fetchall(), key=repr)
        for table in ("raw_calls", "raw_prompts", "raw_events", "raw_agents")
    }


def test_batches_on_two_workers_read_what_one_batch_reads(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "claude", tmp_path / "p")
    broken = tmp_path / "p" / "broken.jsonl"  # a line DuckDB drops, recovered inside a worker
    broken.write_bytes(
        (FIXTURES / "claude" / "spotter" / "tool_heavy.jsonl").read_bytes() + b"\xff{\n"
    )
    found = targets(tmp_path)
    assert len(found) > 3
    results = []
    for workers, batch_files in ((1, 2000), (2, 1)):
        store = UsageStore()
        states = Scanner(store.cursor(), workers=workers, batch_files=batch_files).scan(found)
        by_path = sorted((s.path, s.via, s.lines, s.skipped, s.end_offset) for s in states)
        results.append((by_path, _tables(store)))
        store.close()
    assert results[0] == results[1]
    assert [row[3] for row in results[0][0] if row[0] == str(broken)] == [1]


def test_a_batch_runs_the_stage_statements_of_the_kinds_it_holds(tmp_path: Path) -> None:
    """A batch of one kind of line (a tail of assistant lines, a prompt alone, a compaction
    alone) stages what a batch of every kind stages for those lines: the statements it skips
    are only those of kinds it does not hold."""
    import json

    source = (FIXTURES / "claude" / "spotter" / "tool_heavy.jsonl").read_text().splitlines()
    fmt = format_of("claude", "transcript")
    assert isinstance(fmt, LineFormat)
    assistant = next(line for line in source if fmt.classify(line) == "A")
    prompt = next(line for line in source if fmt.classify(line) == "U")
    session = json.loads(prompt)["sessionId"]
    compact = json.dumps(
        {
            "type": "system",
            "subtype": "compact_boundary",
            "sessionId": session,
            "timestamp": "2026-11-20T10:00:00.000Z",
            "compactMetadata": {"trigger": "auto", "preTokens": 123456},
        },
        separators=(",", ":"),
    )
    for name, line in (("a", assistant), ("u", prompt), ("s", compact)):
        (tmp_path / "p" / name).mkdir(parents=True)
        (tmp_path / "p" / name / "s.jsonl").write_text(line + "\n")
    found = targets(tmp_path)
    results = []
    for batch_files in (1, 2000):
        store = UsageStore()
        Scanner(store.cursor(), workers=1, batch_files=batch_files).scan(found)
        tables = _tables(store)
        results.append(tables)
        store.close()
    assert results[0] == results[1]
    assert [len(results[0][t]) for t in ("raw_calls", "raw_prompts", "raw_events")] == [1, 1, 1]
