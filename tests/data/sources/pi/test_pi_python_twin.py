"""The tolerant reader's Python twin of the pi session scan (lines.classify / extract_line) reads
every line — real pi and OpenClaw sessions, generated histories of both with every quirk,
whitespace variants, odd tool arguments — into the same raw rows as the DuckDB scan (scan.sql)."""

from __future__ import annotations

import json
import random
import shutil
from datetime import date
from pathlib import Path

from bench.plan import make_plan
from bench.writers import openclaw, pi
from tests.conftest import FIXTURES
from tokentree.data.read.scan import Scanner, ScanTarget
from tokentree.data.store.store import UsageStore

HEAD = b'{"type":"thinking_level_change","id":"0","parentId":null,"thinkingLevel":"off"}\n'
TABLES = {
    "raw_calls": "SELECT * EXCLUDE (file_id) FROM raw_calls",
    "raw_prompts": "SELECT * EXCLUDE (file_id) FROM raw_prompts",
}


def _read(paths: list[Path], offset: int) -> dict[str, list[tuple]]:
    store = UsageStore()
    try:
        targets = [
            ScanTarget(str(p), p.stat().st_size, p.stat().st_mtime_ns, "pi", "session", offset)
            for p in paths
        ]
        Scanner(store.cursor()).scan(targets)
        return {
            name: sorted(store.cursor().execute(query).fetchall(), key=repr)
            for name, query in TABLES.items()
        }
    finally:
        store.close()


def _odd_lines() -> list[str]:
    """Lines the generated history does not write: spaced JSON, content as a string, tool
    arguments that are not strings or not objects, non-ASCII text."""
    message = {
        "role": "assistant",
        "content": [
            {"type": "toolCall", "id": "t1", "name": "bash", "arguments": {"command": 42}},
            {"type": "toolCall", "id": "t2", "name": "read", "arguments": "src/x.py"},
            {"type": "toolCall", "name": "edit", "arguments": {"path": "ü/é.py", "x": [1]}},
        ],
        "provider": "anthropic",
        "model": "claude-sonnet-4-5",
        "usage": {"input": 3, "output": 4, "cacheRead": 5, "cacheWrite": 6, "totalTokens": 18},
        "timestamp": 1795000000000,
    }
    prompt = {
        "role": "user",
        "content": "plain string prompt — ünïcode",
        "timestamp": 1794999999000,
    }
    return [
        json.dumps({"type": "session", "version": 3, "id": "odd",
                    "timestamp": "2026-11-18T00:00:00Z", "cwd": "/w"}),
        json.dumps({"type": "message", "id": "u", "timestamp": "2026-11-18T00:00:01Z",
                    "message": prompt}),
        json.dumps({"type": "message", "id": "a", "timestamp": "2026-11-18T00:00:02Z",
                    "message": message}, separators=(",", ":")),
        json.dumps({"type": "message", "id": "b", "timestamp": "2026-11-18T00:00:03Z",
                    "message": {**message, "timestamp": 1795000001000}}),
    ]  # fmt: skip


def test_python_reads_pi_sessions_as_the_scan_does(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    for name, writer in (("pi", pi), ("openclaw", openclaw)):
        shutil.copytree(FIXTURES / name, sources / name / "real")
        rng = random.Random(3)
        plan = make_plan(rng, writer.SHAPE, sessions=15, start=date(2026, 11, 1), days=5)
        writer.write(plan, sources / name / "generated", rng)
    (sources / "odd.jsonl").write_text("\n".join(_odd_lines()) + "\n", encoding="utf-8")
    paths = []
    for source in sorted(p for p in sources.rglob("*") if ".jsonl" in p.name):
        target = tmp_path / "read" / source.relative_to(sources)
        target.parent.mkdir(parents=True, exist_ok=True)
        data = source.read_bytes()
        target.write_bytes(HEAD + (data if data.endswith(b"\n") else data + b"\n"))
        paths.append(target)
    by_duckdb = _read(paths, 0)
    by_python = _read(paths, len(HEAD))
    assert len(by_duckdb["raw_calls"]) > 1_000 and len(by_duckdb["raw_prompts"]) > 100
    for name in TABLES:
        assert by_python[name] == by_duckdb[name], name
