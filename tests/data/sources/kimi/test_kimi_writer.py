"""The Kimi CLI writer of the corpus generator (bench/writers/kimi.py): a generated plan, written
with the wire log's quirks (relayed subagent steps, forked and imported copies, steps without a
message id, broken and unfinished lines), is read exactly per day — by tokentree and by the
reference reader."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from bench.plan import make_plan
from bench.writers import kimi as writer
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
    monkeypatch.delenv("KIMI_DATA_DIR", raising=False)
    monkeypatch.delenv("KIMI_SHARE_DIR", raising=False)
    document, stderr = export("--source", "kimi", "--tz", "UTC", "--level", "day", "--no-annotate")
    found = {day: {k: n["totals"][k] for k in FIELDS} for day, n in days_of(document).items()}
    assert found == plan.day_totals(), stderr
    assert reference.day_totals(tmp_path / ".kimi") == plan.day_totals()


def test_the_writer_refuses_plans_kimi_cannot_log(tmp_path: Path) -> None:
    from bench.writers import gemini

    rng = random.Random(1)
    plan = make_plan(rng, gemini.SHAPE, sessions=2, start=date(2026, 6, 1), days=1)
    with pytest.raises(ValueError, match="one model"):
        writer.write(plan, tmp_path, rng)
