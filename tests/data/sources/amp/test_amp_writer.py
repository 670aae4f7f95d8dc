"""A generated Amp history (bench/writers/amp.py) with every quirk: tokentree's and the reference
reader's totals per day equal the plan that was written."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from bench.plan import make_plan
from bench.writers import amp as writer
from tests.conftest import days_of, export
from tests.data.sources.amp import reference

FIELDS = ("calls", "input", "output", "cache_read", "cache_write")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, list[Path]]:
    rng = random.Random(11)
    plan = make_plan(rng, writer.SHAPE, sessions=40, start=date(2026, 11, 1), days=6)
    home = tmp_path_factory.mktemp("amp-home")
    return home, plan.day_totals(), writer.write(plan, home, rng)


def test_the_corpus_has_every_quirk(corpus: tuple[Path, dict, list[Path]]) -> None:
    _, _, files = corpus
    threads = [json.loads(path.read_text(encoding="utf-8")) for path in files]
    ledgers = [t for t in threads if "usageLedger" in t]
    assert ledgers and len(ledgers) < len(threads), "both schemas"
    assert any(any("timestamp" in m.get("usage", {}) for m in t["messages"]) for t in ledgers), (
        "a thread continued after the ledger"
    )
    assert any(
        m.get("state", {}).get("type") == "cancelled" for t in threads for m in t["messages"]
    )


def test_tokentree_and_the_reference_equal_the_plan(
    corpus: tuple[Path, dict, list[Path]],
) -> None:
    home, truth, _ = corpus
    document, _ = export("--root", f"amp={home / writer.THREADS}", "--tz", "UTC", "--level", "day")
    got = {day: {k: node["totals"][k] for k in FIELDS} for day, node in days_of(document).items()}
    assert got == truth
    assert document["skipped_lines"] == 0 and document["unpriced_calls"] == 0
    assert reference.day_totals(reference.read_calls([home])) == truth
