"""The feed writer of the corpus generator (bench/writers/jsonl.py): a generated plan, written
as feeds with their quirks, is read exactly — per day, by tokentree and by the reference."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from bench.plan import Shape, make_plan
from bench.writers import jsonl as writer
from tests.conftest import days_of, export
from tests.data.sources.jsonl import reference

SHAPE = Shape(models=(("gpt-4.1", 3), ("claude-sonnet-4-5", 2), ("my-local-model", 1)),
              cache_writes=True)  # fmt: skip
FIELDS = ("calls", "input", "output", "cache_read", "cache_write")


@pytest.mark.parametrize("tz", ["UTC", "America/New_York"])
def test_a_written_plan_is_read_exactly_per_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tz: str
) -> None:
    rng = random.Random(11)
    plan = make_plan(rng, SHAPE, sessions=24, start=date(2026, 11, 2), days=9)
    files = writer.write(plan, tmp_path, rng)
    feeds = tmp_path / writer.FEEDS
    assert files and all(path.is_relative_to(feeds) for path in files)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    document, stderr = export("--source", "jsonl", "--tz", tz, "--level", "day", "--no-annotate")
    found = {
        day: {name: node["totals"][name] for name in FIELDS}
        for day, node in days_of(document).items()
    }
    assert found == plan.day_totals(tz)
    assert reference.day_totals(reference.read_calls([feeds]), tz) == plan.day_totals(tz)
    assert document["skipped_lines"] > 0 and "skipped" in stderr  # the malformed lines
