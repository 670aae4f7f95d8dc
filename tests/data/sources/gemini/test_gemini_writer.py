"""A generated Gemini CLI history (bench/writers/gemini.py) with every quirk: tokentree's and
the reference reader's totals per day equal the plan that was written."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from bench.plan import make_plan
from bench.writers import gemini as writer
from tests.conftest import days_of, export
from tests.data.sources.gemini import reference


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, list[Path]]:
    rng = random.Random(11)
    plan = make_plan(rng, writer.SHAPE, sessions=30, start=date(2026, 11, 1), days=6)
    home = tmp_path_factory.mktemp("gemini-home")
    files = writer.write(plan, home, rng)
    return home, plan.day_totals(), files


def test_the_corpus_has_every_quirk(corpus: tuple[Path, dict, list[Path]]) -> None:
    home, _, files = corpus
    tmp = home / ".gemini" / "tmp"
    lines = [
        json.loads(line)
        for path in files
        if path.suffix == ".jsonl"
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.endswith("}")
    ]
    ids = [r["id"] for r in lines if r.get("type") == "gemini"]
    assert len(ids) > len(set(ids)), "re-appended messages"
    assert any("messages" in r.get("$set", {}) for r in lines), "checkpoints"
    assert any("$rewindTo" in r for r in lines), "rewinds"
    assert any(r.get("type") == "gemini" and r.get("tokens") is None for r in lines)
    assert any(r.get("kind") == "subagent" for r in lines), "subagent chats"
    assert any(p.with_suffix(".jsonl") in files for p in files if p.suffix == ".json"), "twins"
    names = {p.name for p in tmp.iterdir()}
    assert any(len(n) == 64 for n in names) and any(len(n) < 64 for n in names), "both eras"


def test_tokentree_and_the_reference_equal_the_plan(
    corpus: tuple[Path, dict, list[Path]],
) -> None:
    home, truth, _ = corpus
    document, _ = export("--root", f"gemini={home}", "--tz", "UTC", "--level", "day")
    got = {
        day: {
            k: node["totals"][k] for k in ("calls", "input", "output", "cache_read", "cache_write")
        }
        for day, node in days_of(document).items()
    }
    assert got == truth
    assert document["skipped_lines"] == 0 and document["unpriced_calls"] == 0
    assert reference.day_totals(reference.read_calls([home / ".gemini" / "tmp"])) == truth
