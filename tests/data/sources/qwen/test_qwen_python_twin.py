"""The tolerant reader's Python twin (records.classify / parse) reads a generated Qwen Code history
into the same raw rows as the DuckDB scan (scan.sql), so appended records and files read in Python
count the same."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from bench.plan import make_plan
from bench.writers import qwen as writer
from tests.data.sources.twin import assert_python_reads_as_the_scan

HEAD = b'{"uuid":"h","type":"system","subtype":"custom_title","sessionId":"h"}\n'


def test_python_reads_chats_as_the_scan_does(tmp_path: Path) -> None:
    rng = random.Random(6)
    plan = make_plan(rng, writer.SHAPE, sessions=12, start=date(2026, 6, 1), days=3)
    writer.write(plan, tmp_path / "home", rng)
    paths = sorted((tmp_path / "home" / ".qwen").rglob("*.jsonl"))
    assert_python_reads_as_the_scan(paths, "qwen", "chat", HEAD)
