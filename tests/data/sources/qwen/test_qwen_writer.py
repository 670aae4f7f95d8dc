"""The Qwen Code writer of the corpus generator (bench/writers/qwen.py): a generated plan, written
with the chats' quirks (OpenAI-client and Gemini API counts, /branch copies, telemetry records,
re-appended titles, broken and unfinished lines), is read exactly per day — by tokentree and by the
reference reader."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from bench.plan import make_plan
from bench.writers import qwen as writer
from tests.conftest import days_of, export
from tests.data.sources.qwen import reference

FIELDS = ("calls", "input", "output", "cache_read", "cache_write")


@pytest.mark.parametrize("tz", ["UTC", "Asia/Shanghai"])
def test_a_written_plan_is_read_exactly_per_day(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tz: str
) -> None:
    rng = random.Random(4)
    plan = make_plan(rng, writer.SHAPE, sessions=25, start=date(2026, 6, 1), days=7)
    writer.write(plan, tmp_path, rng)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("QWEN_DATA_DIR", raising=False)
    document, stderr = export("--source", "qwen", "--tz", tz, "--level", "day", "--no-annotate")
    found = {day: {k: n["totals"][k] for k in FIELDS} for day, n in days_of(document).items()}
    assert found == plan.day_totals(tz), stderr
    if tz == "UTC":
        assert reference.day_totals(tmp_path / ".qwen" / "projects") == plan.day_totals()
