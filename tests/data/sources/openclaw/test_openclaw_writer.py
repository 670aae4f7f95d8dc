"""A generated OpenClaw history (bench/writers/openclaw.py) with every quirk: tokentree's and the
reference reader's totals per day equal the plan that was written."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import pytest

from bench.plan import make_plan
from bench.writers import openclaw as writer
from tests.conftest import days_of, export
from tests.data.sources.openclaw.test_openclaw_counting import is_transcript
from tests.data.sources.pi import reference

FIELDS = ("calls", "input", "output", "cache_read", "cache_write")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, list[Path]]:
    rng = random.Random(11)
    plan = make_plan(rng, writer.SHAPE, sessions=40, start=date(2026, 11, 1), days=6)
    home = tmp_path_factory.mktemp("openclaw-home")
    return home, plan.day_totals(), writer.write(plan, home, rng)


def test_the_corpus_has_every_quirk(corpus: tuple[Path, dict, list[Path]]) -> None:
    home, _, files = corpus
    names = [path.name for path in files]
    for marker in (
        ".jsonl.reset.",
        ".jsonl.deleted.",
        ".checkpoint.",
        ".jsonl.bak.",
        ".trajectory.",
    ):
        assert any(marker in name for name in names), marker
    resets = {n.split(".jsonl.reset.")[0] for n in names if ".jsonl.reset." in n}
    assert any(f"{session}.jsonl" in names for session in resets), "a reset left its live file"
    text = "".join(path.read_text(encoding="utf-8") for path in files)
    assert '"errorMessage":"fetch failed"' in text and '"model-snapshot"' in text
    assert (home / ".clawdbot" / "agents").is_dir(), "a former state directory name"


def test_tokentree_and_the_reference_equal_the_plan(
    corpus: tuple[Path, dict, list[Path]],
) -> None:
    home, truth, _ = corpus
    document, _ = export(
        "--root", f"openclaw={home / '.openclaw'}", "--root", f"openclaw={home / '.clawdbot'}",
        "--tz", "UTC", "--level", "day",
    )  # fmt: skip
    got = {day: {k: node["totals"][k] for k in FIELDS} for day, node in days_of(document).items()}
    assert got == truth
    assert document["skipped_lines"] == 0 and document["unpriced_calls"] == 0
    roots = [home / ".openclaw", home / ".clawdbot"]
    assert reference.day_totals(reference.read_calls(roots, is_transcript)) == truth


def test_the_default_roots_find_every_state_directory(
    corpus: tuple[Path, dict, list[Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, truth, _ = corpus
    monkeypatch.setenv("HOME", str(home))
    document, _ = export("--source", "openclaw", "--tz", "UTC", "--no-cache")
    assert document["totals"]["calls"] == sum(day["calls"] for day in truth.values())
