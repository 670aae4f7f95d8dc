"""The Kimi Code writer of the corpus generator (bench/writers/kimi_code.py): a generated plan,
written with the logs' quirks (usage repeated by ``step.end``, retried requests, compactions,
subagents' own logs, forked copies, unfinished lines), is read exactly per day — by tokentree and
by the reference reader."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from bench.plan import make_plan
from bench.writers import kimi_code as writer
from tests.conftest import days_of, export
from tests.data.sources.kimi import reference

FIELDS = ("calls", "input", "output", "cache_read", "cache_write")


@pytest.mark.parametrize("seed", [3, 8])
def test_a_written_plan_is_read_exactly_per_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    rng = random.Random(seed)
    plan = make_plan(rng, writer.SHAPE, sessions=25, start=date(2026, 6, 1), days=7)
    writer.write(plan, tmp_path, rng)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("KIMI_DATA_DIR", "KIMI_SHARE_DIR", "KIMI_CODE_HOME"):
        monkeypatch.delenv(name, raising=False)
    document, stderr = export("--source", "kimi", "--tz", "UTC", "--level", "day", "--no-annotate")
    found = {day: {k: n["totals"][k] for k in FIELDS} for day, n in days_of(document).items()}
    assert found == plan.day_totals(), stderr
    assert reference.code_day_totals(tmp_path / ".kimi-code") == plan.day_totals()
