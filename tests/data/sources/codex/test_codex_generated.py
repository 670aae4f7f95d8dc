"""A generated Codex corpus with every quirk of the writer (bench/writers/codex.py): per-day
totals equal the plan's exact truth, and the reference reader agrees."""

from __future__ import annotations

import itertools
import json
import random
from datetime import date
from pathlib import Path

import pytest
import zstandard

from bench.plan import Plan, Shape, make_plan
from bench.writers import codex
from tests.conftest import days_of, export
from tests.data.sources.codex.reference import day_totals, read_calls

KEYS = ("calls", "input", "output", "cache_read", "cache_write")
SHAPE = Shape(
    models=(("gpt-5.3-codex", 6), ("gpt-5.1-codex", 2), ("gpt-5.5", 2), ("codex-auto-review", 1))
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Plan]:
    rng = random.Random(11)
    plan = make_plan(rng, SHAPE, sessions=36, start=date(2026, 6, 1), days=8)
    home = tmp_path_factory.mktemp("codex-home")
    codex.write(plan, home, rng)
    return home / ".codex", plan


def _lines(path: Path) -> list[dict]:
    data = path.read_bytes()
    if path.name.endswith(".zst"):
        data = zstandard.ZstdDecompressor().decompressobj().decompress(data)
    return [json.loads(line) for line in data.decode().splitlines()]


def test_the_corpus_has_every_quirk(corpus: tuple[Path, Plan]) -> None:
    home, _ = corpus
    files = sorted(home.rglob("rollout-*"))
    seen: set[str] = set()
    for path in files:
        lines = _lines(path)
        owner = lines[0]["payload"]
        source = owner.get("source")
        subagent = isinstance(source, dict) and "subagent" in source
        seen.add("zst" if path.name.endswith(".zst") else "plain")
        seen.add("archived" if "archived_sessions" in path.parts else "sessions")
        if owner.get("forked_from_id"):
            seen.add("forked subagent" if subagent else "fork")
        elif subagent:
            seen.add("fresh subagent")
        metas = [line for line in lines if line["type"] == "session_meta"]
        if any(m["payload"]["id"] == owner["id"] for m in metas[1:]):
            seen.add("owner repeated")
        kinds = {(line["type"], line["payload"].get("type")) for line in lines}
        seen |= {f"{a}/{b}" for a, b in kinds}
        totals = [
            line["payload"]["info"]["total_token_usage"]["total_tokens"]
            for line in lines
            if line["payload"].get("type") == "token_count" and line["payload"]["info"]
        ]
        if any(b == a for a, b in itertools.pairwise(totals)):
            seen.add("re-emitted")
        if any(b < a for a, b in itertools.pairwise(totals)):
            seen.add("counter restart")
    names = [p.name.removesuffix(".zst") for p in files]
    if len(names) > len(set(names)):
        seen.add("copies")
    expected = {
        "zst",
        "plain",
        "archived",
        "sessions",
        "fork",
        "forked subagent",
        "fresh subagent",
        "owner repeated",
        "re-emitted",
        "counter restart",
        "copies",
        "token_usage_record/None",
        "inter_agent_communication/None",
        "event_msg/item_completed",
        "event_msg/user_message",
        "response_item/local_shell_call",
        "response_item/custom_tool_call",
    }
    assert expected <= seen, expected - seen


@pytest.mark.parametrize("tz", ["UTC", "Asia/Tokyo"])
def test_days_equal_the_plan(corpus: tuple[Path, Plan], tz: str) -> None:
    home, plan = corpus
    document, stderr = export("--root", f"codex={home}", "--tz", tz)
    days = {day: {k: node["totals"][k] for k in KEYS} for day, node in days_of(document).items()}
    assert days == plan.day_totals(tz), stderr
    assert day_totals(read_calls([home]), tz) == plan.day_totals(tz)
    assert document["skipped_lines"] == 0 and document["unreadable_files"] == 0
