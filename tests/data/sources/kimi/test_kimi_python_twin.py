"""The tolerant reader's Python twin (lines.classify / parse) reads a generated Kimi CLI history
— relays, forks, steps without message ids, broken lines — into the same raw rows as the DuckDB
scan (scan.sql), so files read in Python count the same."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from bench.plan import make_plan
from bench.writers import kimi as writer
from tests.data.sources.twin import assert_python_reads_as_the_scan

HEAD = b'{"type": "metadata", "protocol_version": "1.3"}\n'


def test_python_reads_wire_logs_as_the_scan_does(tmp_path: Path) -> None:
    rng = random.Random(5)
    plan = make_plan(rng, writer.SHAPE, sessions=12, start=date(2026, 6, 1), days=3)
    writer.write(plan, tmp_path / "home", rng)
    paths = sorted((tmp_path / "home" / ".kimi").rglob("wire.jsonl"))
    assert_python_reads_as_the_scan(paths, "kimi", "wire", HEAD)
