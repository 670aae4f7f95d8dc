"""A generated pi history (bench/writers/pi.py) with every quirk: tokentree's and the reference
reader's totals per day equal the plan that was written."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pytest

from bench.plan import make_plan
from bench.writers import pi as writer
from tests.conftest import days_of, export
from tests.data.sources.pi import reference

FIELDS = ("calls", "input", "output", "cache_read", "cache_write")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, list[Path]]:
    rng = random.Random(11)
    plan = make_plan(rng, writer.SHAPE, sessions=30, start=date(2026, 11, 1), days=6)
    home = tmp_path_factory.mktemp("pi-home")
    return home, plan.day_totals(), writer.write(plan, home, rng)


def test_the_corpus_has_every_quirk(corpus: tuple[Path, dict, list[Path]]) -> None:
    _, _, files = corpus
    records = [
        json.loads(line)
        for path in files
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.endswith("}")
    ]
    headers = [r for r in records if r.get("type") == "session"]
    assert any("parentSession" in h for h in headers), "forks"
    assert any("version" not in h for h in headers), "version-1 sessions"
    assistants = [r["message"] for r in records if r.get("message", {}).get("role") == "assistant"]
    usages = [m["usage"] for m in assistants]
    assert any(
        u.get("totalTokens") == u["input"] + u["output"] and u["cacheRead"] for u in usages
    ), "Gemini API prompt counts"
    assert any(m["stopReason"] == "aborted" for m in assistants), "aborted requests"
    assert any(r.get("type") == "compaction" for r in records)
    assert any(not path.read_text(encoding="utf-8").endswith("\n") for path in files), "tail"
    assert len(headers) > len({h["id"] for h in headers}), "a file flushed twice"


def test_tokentree_and_the_reference_equal_the_plan(
    corpus: tuple[Path, dict, list[Path]],
) -> None:
    home, truth, _ = corpus
    root = home / writer.SESSIONS
    document, _ = export("--root", f"pi={root}", "--tz", "UTC", "--level", "day")
    got = {day: {k: node["totals"][k] for k in FIELDS} for day, node in days_of(document).items()}
    assert got == truth
    assert document["skipped_lines"] == 0 and document["unpriced_calls"] == 0
    assert reference.day_totals(reference.read_calls([root])) == truth
