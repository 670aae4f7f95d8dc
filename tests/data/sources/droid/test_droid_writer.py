"""The Factory Droid writer of the corpus generator (bench/writers/droid.py): a generated plan,
written as per-session totals with Droid's quirks (sessions continued per day, subagent sessions,
custom model names, missing conversations, backup copies, empty sessions), is read exactly per
day — by tokentree and by the reference reader. The calls are sessions, not the plan's requests."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from bench.plan import make_plan
from bench.writers import droid as writer
from tests.conftest import days_of, export
from tests.data.sources.droid import reference

TOKENS = ("input", "output", "cache_read", "cache_write")


@pytest.mark.parametrize("seed", [2, 9])
def test_a_written_plan_is_read_exactly_per_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(seed)
    plan = make_plan(rng, writer.SHAPE, sessions=25, start=date(2026, 6, 1), days=7)
    writer.write(plan, tmp_path, rng)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("DROID_SESSIONS_DIR", raising=False)
    document, stderr = export("--source", "droid", "--tz", "UTC", "--level", "day", "--no-annotate")
    truth = {d: {k: t[k] for k in TOKENS} for d, t in plan.day_totals().items()}
    found = {day: {k: n["totals"][k] for k in TOKENS} for day, n in days_of(document).items()}
    assert found == truth, stderr
    expected = reference.day_totals(tmp_path / ".factory" / "sessions")
    assert {d: {k: t[k] for k in TOKENS} for d, t in expected.items()} == truth
    assert document["unpriced_calls"] == 0
