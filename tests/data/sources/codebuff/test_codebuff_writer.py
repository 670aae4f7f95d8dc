"""The Codebuff writer of the corpus generator (bench/writers/codebuff.py): a generated plan,
written with every spelling of Codebuff's counts, run-state messages, id-less messages and
date-less times, is read exactly per day — by tokentree and by the reference reader."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from bench.plan import make_plan
from bench.writers import codebuff as writer
from tests.conftest import days_of, export
from tests.data.sources.codebuff import reference

FIELDS = ("calls", "input", "output", "cache_read", "cache_write")


@pytest.mark.parametrize("seed", [1, 6])
def test_a_written_plan_is_read_exactly_per_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(seed)
    plan = make_plan(rng, writer.SHAPE, sessions=25, start=date(2026, 6, 1), days=7)
    writer.write(plan, tmp_path, rng)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("CODEBUFF_DATA_DIR", raising=False)
    document, stderr = export(
        "--source", "codebuff", "--tz", "UTC", "--level", "day", "--no-annotate"
    )
    found = {day: {k: n["totals"][k] for k in FIELDS} for day, n in days_of(document).items()}
    assert found == plan.day_totals(), stderr
    projects = tmp_path / ".config" / "manicode" / "projects"
    assert reference.day_totals(projects) == plan.day_totals()
